package ai.vidgen.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every object that deploy/ renders, from every kustomization in it (the base, each overlay, each
 * component: found, not listed), is valid against its schema, as a strict API server would judge
 * it: Kubernetes 1.32's for its own kinds, the operator's for Strimzi, CloudNativePG, KEDA and the
 * Prometheus Operator. A kind with no schema fails the test.
 */
class ManifestSchemasTest {

    /** Folders of the module that hold no manifests. */
    private static final Set<String> NOT_MANIFESTS = Set.of("src", "target", "schema", "node_modules");
    private static final Path BASE = Path.of("base");

    static List<Path> kustomizations() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("."))) {
            return files.filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                    .map(p -> Path.of(".").relativize(p.getParent()).normalize())
                    .filter(dir -> !NOT_MANIFESTS.contains(dir.getName(0).toString()))
                    .sorted().toList();
        }
    }

    @Test
    void everyRenderedObjectMatchesItsSchema() throws Exception {
        List<Path> roots = kustomizations();
        assertThat(roots).as("kustomizations found under deploy/")
                .contains(BASE, Path.of("overlays", "prod"), Path.of("prometheus"));
        List<String> problems = new ArrayList<>();
        int validated = 0;
        for (Path root : roots) {
            List<JsonNode> objects = render(root);
            assertThat(objects).as("objects rendered by %s", root).isNotEmpty();
            problems.addAll(ManifestSchemas.problems(objects, root.toString()));
            validated += objects.size();
        }
        System.out.printf("validated %d objects from %s%n", validated, roots);
        assertThat(problems).as("schema problems in %s", roots).isEmpty();
    }

    /**
     * A kustomization as kubectl renders it; a Component, which may patch what it does not hold, on
     * top of the base, as an overlay uses it.
     */
    private static List<JsonNode> render(Path root) throws Exception {
        JsonNode kustomization = new ObjectMapper(new YAMLFactory()).readTree(root.resolve("kustomization.yaml").toFile());
        if (!"Component".equals(kustomization.path("kind").asText())) {
            return RenderedManifests.of(root).objects();
        }
        Path overlay = Files.createTempDirectory(Path.of("target"), "component-");
        Files.writeString(overlay.resolve("kustomization.yaml"), "resources: [%s]\ncomponents: [%s]\n"
                .formatted(relative(overlay, BASE), relative(overlay, root)));
        return RenderedManifests.of(overlay).objects();
    }

    private static String relative(Path from, Path to) {
        return from.toAbsolutePath().relativize(to.toAbsolutePath()).toString();
    }
}
