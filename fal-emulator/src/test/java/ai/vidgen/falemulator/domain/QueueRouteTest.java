package ai.vidgen.falemulator.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.falemulator.domain.QueueRoute.Action;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QueueRouteTest {

    @ParameterizedTest
    @CsvSource({
            "fal-ai/kling-video/requests/abc, fal-ai/kling-video, RESULT",
            "fal-ai/kling-video/requests/abc/response, fal-ai/kling-video, RESULT",
            "fal-ai/kling-video/requests/abc/status, fal-ai/kling-video, STATUS",
            "fal-ai/kling-video/requests/abc/status/stream, fal-ai/kling-video, STATUS_STREAM",
            "fal-ai/kling-video/requests/abc/cancel, fal-ai/kling-video, CANCEL",
            "fal-ai/kling-video/v3/pro/text-to-video/requests/abc/status, fal-ai/kling-video/v3/pro/text-to-video, STATUS",
            "fal-ai/kling-video/v3/pro/text-to-video/requests/abc/response, fal-ai/kling-video/v3/pro/text-to-video, RESULT",
            "workflows/me/flow/requests/abc/status, workflows/me/flow, STATUS",
            "comfy/me/flow/sub/requests/abc, comfy/me/flow/sub, RESULT",
    })
    void parsesEveryAcceptedShape(String path, String prefix, Action action) {
        QueueRoute route = QueueRoute.parse(path).orElseThrow();
        assertEquals(prefix, route.prefix());
        assertEquals("abc", route.requestId());
        assertEquals(action, route.action());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "fal-ai/kling-video/v3/pro/text-to-video",
            "fal-ai/requests/abc",          // no app root before "requests"
            "workflows/me/requests/abc",    // namespaced ids need three segments
            "fal-ai/kling-video/requests",  // no id
            "fal-ai/kling-video/requests/abc/logs",
            "fal-ai/kling-video/requests/abc/status/other",
            ""})
    void rejectsOtherPaths(String path) {
        assertEquals(Optional.empty(), QueueRoute.parse(path));
    }

    @Test
    void appRootFollowsTheNamespaceRule() {
        assertEquals("fal-ai/kling-video", AppId.fromEndpointId("fal-ai/kling-video/v3/pro/text-to-video").root());
        assertEquals("workflows/me/flow", AppId.fromEndpointId("workflows/me/flow/extra").root());
        assertEquals("comfy/me/flow", AppId.fromEndpointId("comfy/me/flow").root());
    }

    @Test
    void anAppAcceptsItsRootAndItsFullEndpointIdOnly() {
        AppId app = AppId.fromEndpointId("fal-ai/kling-video/v3/pro/text-to-video");
        assertTrue(app.accepts("fal-ai/kling-video"));
        assertTrue(app.accepts("fal-ai/kling-video/v3/pro/text-to-video"));
        assertFalse(app.accepts("fal-ai/kling-video/v3/standard/text-to-video"));
        assertFalse(app.accepts("fal-ai/bytedance"));
    }

    @Test
    void requestIdsAreVersion7Uuids() {
        java.util.UUID id = java.util.UUID.fromString(RequestIds.next(System.currentTimeMillis()));
        assertEquals(7, id.version());
        assertEquals(2, id.variant());
    }
}
