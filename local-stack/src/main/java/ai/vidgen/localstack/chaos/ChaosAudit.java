package ai.vidgen.localstack.chaos;

import ai.vidgen.localstack.PlatformService;
import ai.vidgen.testsupport.infra.PostgresServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checks after the storm, each read from the party that knows: the request-service's status
 * of every accepted generation, billing's ledger rows in the order they were written, the
 * adapter's attempts, what the fal emulator received and would have charged, the archived files,
 * and the dead-letter topic. It reads the services' databases directly, as an auditor with a
 * read-only account would; no service reads another's.
 */
final class ChaosAudit {

    static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "rejected");
    private static final int EXAMPLES = 5;

    /** One check's verdict with a few examples of what broke it. */
    public record Check(String name, boolean passed, String summary, List<String> examples) {
    }

    /** One ledger row, as written. */
    private record Row(long id, String generation, String tenant, String kind, long amount) {
    }

    private final PostgresServer postgres;
    private final Path videosDir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    ChaosAudit(PostgresServer postgres, Path videosDir) {
        this.postgres = postgres;
        this.videosDir = videosDir;
    }

    /** The status of each of the generations in the request-service's read model. */
    Map<String, String> statuses(Collection<String> ids) {
        Map<String, String> statuses = new HashMap<>();
        for (String[] row : rows(PlatformService.REQUEST, "SELECT id, status FROM generations")) {
            statuses.put(row[0], row[1]);
        }
        Map<String, String> wanted = new TreeMap<>();
        ids.forEach(id -> wanted.put(id, statuses.getOrDefault(id, "missing")));
        return wanted;
    }

    /**
     * How many of the generations have not ended yet: not terminal in the read model, or reserved
     * in billing's ledger with no money outcome yet (the status and the ledger follow the same
     * events, each at its own pace).
     */
    long unfinished(Collection<String> ids) {
        Map<String, List<Row>> ledger = ledgerByGeneration();
        return statuses(ids).entrySet().stream().filter(e -> !TERMINAL.contains(e.getValue()) || awaitingOutcome(
                ledger.getOrDefault(e.getKey(), List.of()))).count();
    }

    private static boolean awaitingOutcome(List<Row> rows) {
        return count(rows, "RESERVE") > count(rows, "SETTLE") + count(rows, "RELEASE");
    }

    List<Check> run(Collection<String> accepted, Map<String, Long> budgets, JsonNode falRequests,
                    Map<String, Long> deadLetters, int undecodableSent) {
        Map<String, String> status = statuses(accepted);
        Map<String, List<Row>> ledger = ledgerByGeneration();
        Map<String, String> requestToGeneration = new HashMap<>();
        Map<String, String> archivedRequest = new HashMap<>();
        for (String[] row : rows(PlatformService.FAL_ADAPTER,
                "SELECT generation_id, attempt, fal_request_id FROM fal_requests WHERE fal_request_id IS NOT NULL")) {
            requestToGeneration.put(row[2], row[0]);
            archivedRequest.put(row[0] + "#" + row[1], row[2]);
        }
        Map<String, String[]> videos = new HashMap<>();
        for (String[] row : rows(PlatformService.STORAGE,
                "SELECT generation_id, attempt, status, object_key, sha256 FROM videos")) {
            videos.put(row[0], row);
        }
        Map<String, JsonNode> fal = new HashMap<>();
        falRequests.forEach(request -> fal.put(request.path("request_id").asText(), request));

        List<Check> checks = new ArrayList<>();
        checks.add(terminal(status));
        checks.add(oneMoneyOutcome(accepted, status, ledger));
        checks.add(submissionsAreAttempts(fal, requestToGeneration));
        checks.add(chargedWhatFalCharged(accepted, status, ledger, videos, archivedRequest, fal, requestToGeneration));
        checks.add(budgetsNeverExceeded(budgets));
        checks.add(videosIntact(accepted, status, videos, archivedRequest, fal));
        checks.add(deadLettersOnlyOnPurpose(deadLetters, undecodableSent));
        return checks;
    }

    private static Check terminal(Map<String, String> status) {
        List<String> open = status.entrySet().stream().filter(e -> !TERMINAL.contains(e.getValue()))
                .map(e -> e.getKey() + " " + e.getValue()).toList();
        return check("every accepted generation is terminal", open,
                (status.size() - open.size()) + " of " + status.size() + " terminal");
    }

    private static Check oneMoneyOutcome(Collection<String> accepted, Map<String, String> status,
                                         Map<String, List<Row>> ledger) {
        List<String> wrong = new ArrayList<>();
        int settled = 0;
        int released = 0;
        for (String id : accepted) {
            List<Row> rows = ledger.getOrDefault(id, List.of());
            long reserves = count(rows, "RESERVE");
            long settles = count(rows, "SETTLE");
            long releases = count(rows, "RELEASE");
            settled += settles;
            released += releases;
            boolean completed = "completed".equals(status.get(id));
            if (reserves > 1 || settles + releases != reserves || completed != (settles == 1)) {
                wrong.add(id + " " + status.get(id) + " ledger " + rows.stream().map(Row::kind).toList());
            }
        }
        return check("each generation has exactly one money outcome", wrong,
                settled + " settled, " + released + " released, " + wrong.size() + " wrong");
    }

    private static Check submissionsAreAttempts(Map<String, JsonNode> fal, Map<String, String> requestToGeneration) {
        List<String> wrong = new ArrayList<>();
        fal.keySet().stream().filter(id -> !requestToGeneration.containsKey(id))
                .forEach(id -> wrong.add("fal request " + id + " (" + fal.get(id).path("endpoint").asText()
                        + ") is no attempt of ours: a duplicate or lost submission"));
        requestToGeneration.keySet().stream().filter(id -> !fal.containsKey(id))
                .forEach(id -> wrong.add("attempt's request " + id + " never reached fal"));
        return check("fal submissions = attempts", wrong,
                fal.size() + " submissions at fal, " + requestToGeneration.size() + " attempts recorded");
    }

    private static Check chargedWhatFalCharged(Collection<String> accepted, Map<String, String> status,
                                               Map<String, List<Row>> ledger, Map<String, String[]> videos,
                                               Map<String, String> archivedRequest, Map<String, JsonNode> fal,
                                               Map<String, String> requestToGeneration) {
        Map<String, Long> falCostByGeneration = new HashMap<>();
        Set<String> forgotten = new HashSet<>();
        fal.forEach((requestId, request) -> {
            String generation = requestToGeneration.get(requestId);
            if (generation != null) {
                falCostByGeneration.merge(generation, request.path("cost_micros").asLong(0), Long::sum);
                if (request.path("forgotten").asBoolean(false)) {
                    forgotten.add(generation);
                }
            }
        });
        List<String> wrong = new ArrayList<>();
        long charged = 0;
        for (String id : accepted) {
            List<Row> rows = ledger.getOrDefault(id, List.of());
            long charge = sum(rows, "SETTLE");
            charged += charge;
            long expected = 0;
            if ("completed".equals(status.get(id)) && videos.containsKey(id)) {
                JsonNode delivered = fal.get(archivedRequest.get(id + "#" + videos.get(id)[1]));
                expected = delivered == null ? -1 : delivered.path("cost_micros").asLong(0);
            }
            if (charge != expected) {
                wrong.add(id + " charged " + charge + " µ$, fal charged " + expected + " µ$ for the delivered video");
            }
            long falTotal = falCostByGeneration.getOrDefault(id, 0L);
            long ours = charge + sum(rows, "FAL_LOSS");
            // A request fal forgot right after finishing it can have been billed by fal with no
            // answer of fal's ever telling us: its cost is fal's to show on the invoice, not ours.
            if (ours != falTotal && !forgotten.contains(id)) {
                wrong.add(id + " ledger holds " + ours + " µ$ of fal's cost (charge + unbilled loss), fal charged "
                        + falTotal + " µ$ over all attempts");
            }
        }
        return check("ledger charge = fal's price of the delivered video; the ledger reconciles with fal", wrong,
                "charged " + charged + " µ$ in total; " + forgotten.size()
                        + " generations had a request fal forgot (not reconcilable from our side)");
    }

    /**
     * Replays each tenant's ledger in the order it was written: at every row, what is charged plus
     * what is still reserved must be within the budget.
     */
    private Check budgetsNeverExceeded(Map<String, Long> budgets) {
        Map<String, Map<String, Long>> exposure = new HashMap<>();
        Map<String, Long> worst = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (Row row : ledgerInOrder()) {
            Long limit = budgets.get(row.tenant());
            if (limit == null) {
                continue;
            }
            Map<String, Long> perGeneration = exposure.computeIfAbsent(row.tenant(), t -> new HashMap<>());
            switch (row.kind()) {
                case "RESERVE", "SETTLE" -> perGeneration.put(row.generation(), row.amount());
                case "RELEASE" -> perGeneration.put(row.generation(), 0L);
                default -> {
                    // corrections are operators' and losses are ours: neither is the tenant's spend
                }
            }
            long total = perGeneration.values().stream().mapToLong(Long::longValue).sum();
            worst.merge(row.tenant(), total, Math::max);
            if (total > limit) {
                wrong.add(row.tenant() + " at ledger row " + row.id() + ": " + total + " µ$ committed, budget " + limit);
            }
        }
        List<String> peaks = new ArrayList<>();
        worst.forEach((tenant, peak) -> peaks.add(tenant + " peak " + peak + "/" + budgets.get(tenant)));
        return check("no budget ever exceeded (ledger history)", wrong, String.join(", ", peaks));
    }

    private Check videosIntact(Collection<String> accepted, Map<String, String> status, Map<String, String[]> videos,
                               Map<String, String> archivedRequest, Map<String, JsonNode> fal) {
        List<String> wrong = new ArrayList<>();
        int intact = 0;
        for (String id : accepted) {
            if (!"completed".equals(status.get(id))) {
                continue;
            }
            String[] video = videos.get(id);
            if (video == null || !"ARCHIVED".equals(video[2])) {
                wrong.add(id + " completed but not archived: " + (video == null ? "no row" : video[2]));
                continue;
            }
            Path file = videosDir.resolve(video[3]);
            JsonNode request = fal.get(archivedRequest.get(id + "#" + video[1]));
            String onDisk = Files.exists(file) ? sha256(file) : "missing";
            String atFal = request == null ? "no fal request" : sha256(URI.create(request.path("video_url").asText()));
            if (!onDisk.equals(video[4].trim()) || !onDisk.equals(atFal)) {
                wrong.add(id + " file " + onDisk + ", recorded " + video[4] + ", fal's " + atFal);
            } else {
                intact++;
            }
        }
        return check("every completed generation's MP4 is archived, byte for byte fal's", wrong, intact + " videos verified");
    }

    private static Check deadLettersOnlyOnPurpose(Map<String, Long> deadLetters, int undecodableSent) {
        List<String> wrong = new ArrayList<>();
        long onPurpose = 0;
        for (Map.Entry<String, Long> entry : deadLetters.entrySet()) {
            if (entry.getKey().startsWith("chaos-garbage-")) {
                onPurpose += entry.getValue();
            } else {
                wrong.add(entry.getValue() + " dead letter(s) keyed " + entry.getKey());
            }
        }
        if (onPurpose < undecodableSent) {
            wrong.add("only " + onPurpose + " of the " + undecodableSent + " undecodable records were dead-lettered");
        }
        return check("the dead-letter topic holds only the records made undecodable on purpose", wrong,
                onPurpose + " on purpose, " + (deadLetters.values().stream().mapToLong(Long::longValue).sum() - onPurpose)
                        + " others");
    }

    private static Check check(String name, List<String> violations, String summary) {
        return new Check(name, violations.isEmpty(), summary, violations.stream().limit(EXAMPLES).toList());
    }

    private Map<String, List<Row>> ledgerByGeneration() {
        Map<String, List<Row>> byGeneration = new HashMap<>();
        for (Row row : ledgerInOrder()) {
            byGeneration.computeIfAbsent(row.generation(), g -> new ArrayList<>()).add(row);
        }
        return byGeneration;
    }

    private List<Row> ledgerInOrder() {
        List<Row> rows = new ArrayList<>();
        for (String[] row : rows(PlatformService.BILLING,
                "SELECT id, generation_id, tenant_id, kind, amount_micros FROM ledger_entries ORDER BY id")) {
            rows.add(new Row(Long.parseLong(row[0]), row[1], row[2], row[3], Long.parseLong(row[4])));
        }
        return rows;
    }

    private List<String[]> rows(PlatformService service, String sql) {
        List<String[]> rows = new ArrayList<>();
        postgres.psql(service.database(), sql).lines().filter(line -> !line.isBlank())
                .forEach(line -> rows.add(line.split("\\|", -1)));
        return rows;
    }

    private static long count(List<Row> rows, String kind) {
        return rows.stream().filter(r -> r.kind().equals(kind)).count();
    }

    private static long sum(List<Row> rows, String kind) {
        return rows.stream().filter(r -> r.kind().equals(kind)).mapToLong(Row::amount).sum();
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String sha256(URI url) {
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                return response.statusCode() == 200 ? sha256(in) : "HTTP " + response.statusCode();
            }
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
