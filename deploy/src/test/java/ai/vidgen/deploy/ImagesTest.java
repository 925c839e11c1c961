package ai.vidgen.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The images each overlay runs: always a fixed tag (a rollout must not pick up whatever was pushed
 * last), and for the platform's own applications the images the build makes: Jib names them
 * {@code vidgen/<module>} and tags them with the project's version.
 */
class ImagesTest {

    private static final Pattern PLATFORM_IMAGE = Pattern.compile("(?:.+/)?vidgen/([a-z-]+):(.+)");

    static Stream<Path> overlays() throws IOException {
        try (Stream<Path> dirs = Files.list(Path.of("overlays"))) {
            return dirs.filter(d -> Files.exists(d.resolve("kustomization.yaml"))).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyImageHasAFixedTag(Path overlay) throws Exception {
        for (String image : images(overlay)) {
            String tag = image.contains("@") ? image.substring(image.indexOf('@')) : image.substring(
                    image.lastIndexOf('/') + 1).replaceFirst("^[^:]*:?", "");
            assertThat(tag).as("%s in %s: a tag or digest", image, overlay).isNotBlank().isNotEqualTo("latest");
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void thePlatformsImagesAreTheOnesTheBuildPushes(Path overlay) throws Exception {
        String version = projectVersion();
        List<String> platformImages = images(overlay).stream().filter(i -> i.contains("vidgen/")).toList();
        assertThat(platformImages).as("the services' images in %s", overlay).hasSizeGreaterThanOrEqualTo(5);
        for (String image : platformImages) {
            Matcher m = PLATFORM_IMAGE.matcher(image);
            assertThat(m.matches()).as("%s: <registry>/vidgen/<module>:<tag>", image).isTrue();
            Path module = Path.of("..", m.group(1));
            assertThat(Files.readString(module.resolve("pom.xml")))
                    .as("%s is built as an image by module %s", image, module)
                    .contains("<artifactId>quarkus-container-image-jib</artifactId>");
            assertThat(m.group(2)).as("%s: the project's version (or <version>-<commit>)", image).startsWith(version);
        }
    }

    private static List<String> images(Path overlay) throws Exception {
        List<String> images = new ArrayList<>();
        for (JsonNode object : RenderedManifests.of(overlay).objects()) {
            JsonNode pod = object.path("spec").path("template").path("spec");
            for (String field : List.of("initContainers", "containers")) {
                pod.path(field).forEach(c -> images.add(c.path("image").asText()));
            }
        }
        return images;
    }

    private static String projectVersion() throws IOException {
        Matcher m = Pattern.compile("<artifactId>kling-platform</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("..", "pom.xml")));
        assertThat(m.find()).as("the root pom's version").isTrue();
        return m.group(1);
    }
}
