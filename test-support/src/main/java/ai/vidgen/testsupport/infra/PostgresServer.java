package ai.vidgen.testsupport.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server: either one that already runs (given by host, port and credentials),
 * or a throwaway cluster made with {@code initdb} in a temp directory on a free port, started
 * with fsync off, and removed on {@link #close()}.
 *
 * <p>PostgreSQL refuses to run as root, so as root the cluster runs as the {@code postgres} user.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final Path clusterDir;
    /** The server options of a throwaway cluster, so {@link #startAgain()} brings it back the same. */
    private final String options;

    private PostgresServer(String host, int port, String user, String password, Path clusterDir, String options) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.clusterDir = clusterDir;
        this.options = options;
    }

    public static PostgresServer external(String host, int port, String user, String password) {
        return new PostgresServer(host, port, user, password, null, null);
    }

    public static PostgresServer startThrowaway() {
        Path bin = binDir();
        try {
            Path dir = Files.createTempDirectory("vidgen-pg-");
            Path data = dir.resolve("data");
            if (isRoot()) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
            }
            run(dir, asPostgres(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                    "--auth=trust", "-E", "UTF8", "--no-sync"));
            int port = FreePorts.allocate();
            String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                    + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
            run(dir, asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-o", options,
                    "-l", dir.resolve("postgres.log").toString(), "-w", "-t", "60", "start"));
            PostgresServer server = new PostgresServer("127.0.0.1", port, "postgres", "postgres", dir, options);
            server.watchPostmaster();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a PostgreSQL cluster", e);
        }
    }

    /**
     * Stops a throwaway cluster as an outage does (fast shutdown: sessions are terminated and
     * clients see their sockets close), keeping its data and port for {@link #startAgain()}.
     */
    public void stop() {
        pgCtl("-m", "fast", "-w", "-t", "60", "stop");
    }

    /** Starts a cluster {@link #stop()} stopped, on the same data directory, port and options. */
    public void startAgain() {
        pgCtl("-o", options, "-l", clusterDir.resolve("postgres-restarted.log").toString(), "-w", "-t", "60", "start");
        watchPostmaster();
    }

    private void pgCtl(String... arguments) {
        if (clusterDir == null) {
            throw new IllegalStateException("only a throwaway cluster can be stopped and started here");
        }
        List<String> command = new ArrayList<>(List.of(binDir().resolve("pg_ctl").toString(), "-D",
                clusterDir.resolve("data").toString()));
        command.addAll(List.of(arguments));
        run(clusterDir, asPostgres(command.toArray(String[]::new)));
    }

    /** Whichever postmaster runs now is stopped, and the cluster removed, if this JVM dies first. */
    private void watchPostmaster() {
        try {
            long postmaster = Long.parseLong(Files.readAllLines(clusterDir.resolve("data/postmaster.pid")).get(0).trim());
            OrphanWatchdog.killWhenParentDies(postmaster, "kill -QUIT " + postmaster + "; sleep 2; rm -rf " + clusterDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the postmaster's pid in " + clusterDir, e);
        }
    }

    /** Creates the database unless it exists. */
    public void ensureDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        String exists = psql("postgres", "SELECT 1 FROM pg_database WHERE datname = '" + name + "'");
        if (!exists.contains("1")) {
            psql("postgres", "CREATE DATABASE " + name);
        }
    }

    /** Runs one SQL statement with psql and returns its unaligned output. */
    public String psql(String database, String sql) {
        Path cwd = clusterDir != null ? clusterDir : Path.of(System.getProperty("java.io.tmpdir"));
        return run(cwd, List.of("psql", "-h", host, "-p", Integer.toString(port), "-U", user, "-d", database,
                "-v", "ON_ERROR_STOP=1", "-tAc", sql), Map.of("PGPASSWORD", password));
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The URL form of the Vert.x reactive client. */
    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public void close() {
        if (clusterDir == null) {
            return;
        }
        try {
            run(clusterDir, asPostgres(binDir().resolve("pg_ctl").toString(), "-D",
                    clusterDir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
        } catch (RuntimeException alreadyStopped) {
            // nothing to stop
        }
        Directories.deleteQuietly(clusterDir);
    }

    private static List<String> asPostgres(String... command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The newest installed PostgreSQL's binaries (Debian keeps them out of PATH). */
    static Path binDir() {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                var newest = versions.filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(p -> parseVersion(p.getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb"))) {
                return Path.of(dir);
            }
        }
        throw new IllegalStateException("PostgreSQL server binaries (initdb) not found: install PostgreSQL "
                + "(Debian: apt-get install postgresql) or set VIDGEN_TEST_PGHOST to use a running server");
    }

    private static int parseVersion(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String run(Path cwd, List<String> command) {
        return run(cwd, command, Map.of());
    }

    private static String run(Path cwd, List<String> command, Map<String, String> env) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(command.size(), 6)))
                        + " failed: " + output.trim());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
