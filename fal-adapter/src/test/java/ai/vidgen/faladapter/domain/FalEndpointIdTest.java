package ai.vidgen.faladapter.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FalEndpointIdTest {

    private static final String QUEUE = "https://queue.fal.run";

    @Test
    void statusResultAndCancelUseOnlyOwnerAndAlias() {
        FalEndpointId id = FalEndpointId.parse("fal-ai/kling-video/v3/pro/text-to-video");
        assertEquals("fal-ai", id.owner());
        assertEquals("kling-video", id.alias());
        assertEquals("v3/pro/text-to-video", id.path());
        assertEquals("https://queue.fal.run/fal-ai/kling-video/requests/abc", id.responseUrl(QUEUE, "abc"));
        assertEquals("https://queue.fal.run/fal-ai/kling-video/requests/abc/status", id.statusUrl(QUEUE, "abc"));
        assertEquals("https://queue.fal.run/fal-ai/kling-video/requests/abc/cancel", id.cancelUrl(QUEUE, "abc"));
    }

    @Test
    void imageEndpointHasItsOwnApp() {
        assertEquals("http://127.0.0.1:8090/fal-ai/kling-image/requests/r1/status",
                FalEndpointId.parse("fal-ai/kling-image/o3/text-to-image").statusUrl("http://127.0.0.1:8090/", "r1"));
    }

    @Test
    void namespacesTakeThreeSegments() {
        FalEndpointId id = FalEndpointId.parse("workflows/acme/pipeline/run");
        assertEquals("workflows/acme/pipeline", id.appRoot());
        assertEquals("comfy/acme/graph", FalEndpointId.parse("comfy/acme/graph").appRoot());
        assertThrows(IllegalArgumentException.class, () -> FalEndpointId.parse("workflows/acme"));
    }

    @Test
    void legacyNumericOwnerIsNormalised() {
        FalEndpointId id = FalEndpointId.parse("123-myapp");
        assertEquals("123/myapp", id.id());
        assertEquals("123/myapp", id.appRoot());
    }

    @Test
    void malformedIdsAreRefused() {
        for (String bad : new String[] {"", "kling", "fal-ai//kling", "fal-ai/../admin", "fal-ai/kling video",
                "fal-ai/kling?x=1", "fal-ai/kling#x", "/fal-ai/kling", "fal-ai/kling/"}) {
            assertThrows(IllegalArgumentException.class, () -> FalEndpointId.parse(bad), bad);
        }
    }
}
