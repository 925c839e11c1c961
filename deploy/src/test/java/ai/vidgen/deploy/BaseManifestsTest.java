package ai.vidgen.deploy;

import java.nio.file.Path;

/** The base as it is, before any overlay. */
class BaseManifestsTest extends PlatformManifestsTest {

    @Override
    Path kustomization() {
        return Path.of("base");
    }
}
