package ai.vidgen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Validates rendered objects against their schemas, offline: Kubernetes' own kinds with
 * {@link KubernetesSchema} (Kubernetes 1.32), custom resources with {@code schema/validate-crds.mjs}
 * (the operators' schemas from the npm packages pinned in {@code schema/package-lock.json}). An
 * object of a kind neither knows is a problem, never skipped.
 */
final class ManifestSchemas {

    static final Path SCHEMA_DIR = Path.of("schema");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestSchemas() {}

    /** Every problem of objects, each "Kind name (source): path: what is wrong". */
    static List<String> problems(List<JsonNode> objects, String source) throws Exception {
        List<String> problems = new ArrayList<>();
        List<JsonNode> custom = new ArrayList<>();
        for (JsonNode object : objects) {
            String apiVersion = object.path("apiVersion").asText();
            String kind = object.path("kind").asText();
            if (apiVersion.isEmpty() || kind.isEmpty()) {
                problems.add(label(object, source) + ": not a Kubernetes object (apiVersion and kind are required)");
            } else if (KubernetesSchema.isBuiltIn(apiVersion)) {
                KubernetesSchema.modelOf(apiVersion, kind).ifPresentOrElse(
                        model -> KubernetesSchema.problems(object, model)
                                .forEach(p -> problems.add(label(object, source) + ": " + p)),
                        () -> problems.add(label(object, source) + ": no schema for " + kind + " (" + apiVersion
                                + ") in Kubernetes 1.32"));
            } else {
                custom.add(object);
            }
        }
        if (!custom.isEmpty()) {
            JsonNode results = runValidator(custom);
            for (int i = 0; i < custom.size(); i++) {
                for (JsonNode problem : results.get(i)) {
                    problems.add(label(custom.get(i), source) + ": " + problem.asText());
                }
            }
        }
        return problems;
    }

    private static String label(JsonNode object, String source) {
        return object.path("kind").asText("?") + " " + RenderedManifests.name(object) + " (" + source + ")";
    }

    private static JsonNode runValidator(List<JsonNode> objects) throws Exception {
        installPackages();
        Path input = Files.createTempFile("crds-", ".json");
        Path output = Files.createTempFile("crds-", ".out");
        try {
            JSON.writeValue(input.toFile(), objects);
            Process node = new ProcessBuilder("node", "validate-crds.mjs").directory(SCHEMA_DIR.toFile())
                    .redirectInput(input.toFile()).redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!node.waitFor(60, TimeUnit.SECONDS)) {
                node.destroyForcibly();
                throw new AssertionError("schema/validate-crds.mjs did not finish within 60 s");
            }
            if (node.exitValue() != 0) {
                throw new AssertionError("schema/validate-crds.mjs failed (exit " + node.exitValue() + ", see stderr)");
            }
            JsonNode results = JSON.readTree(output.toFile());
            if (!results.isArray() || results.size() != objects.size()) {
                throw new AssertionError("schema/validate-crds.mjs answered " + results + " for " + objects.size() + " objects");
            }
            return results;
        } finally {
            Files.deleteIfExists(input);
            Files.deleteIfExists(output);
        }
    }

    /** {@code npm ci} once, when node_modules is missing or older than the lock file. */
    static synchronized void installPackages() throws Exception {
        Path installed = SCHEMA_DIR.resolve("node_modules/.package-lock.json");
        Path lock = SCHEMA_DIR.resolve("package-lock.json");
        if (Files.exists(installed) && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) >= 0) {
            return;
        }
        Path log = Files.createTempFile("npm-ci-", ".log");
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(SCHEMA_DIR.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("npm is needed to install the CRD schemas (deploy/schema); install node and npm", e);
        }
        boolean finished = npm.waitFor(180, TimeUnit.SECONDS);
        if (!finished) {
            npm.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        if (!finished || npm.exitValue() != 0) {
            throw new AssertionError("npm ci in deploy/schema failed" + (finished ? "" : " (no answer in 180 s)")
                    + ": the CRD schemas come from the npm registry, which must be reachable once per clone.\n" + output);
        }
    }
}
