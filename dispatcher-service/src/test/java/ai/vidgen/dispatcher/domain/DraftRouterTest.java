package ai.vidgen.dispatcher.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.catalog.GenerationMode;
import ai.vidgen.events.catalog.KlingEndpoint;
import ai.vidgen.events.envelope.EventCodec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Draft routing over the whole catalog. */
class DraftRouterTest {

    private static ObjectNode plain() {
        return EventCodec.mapper().createObjectNode()
                .put("prompt", "a paper boat drifting down a rain gutter")
                .put("duration", "5")
                .put("aspect_ratio", "9:16")
                .put("negative_prompt", "blur")
                .put("cfg_scale", 0.5);
    }

    private static Optional<DraftRouter.Route> route(KlingEndpoint endpoint, ObjectNode input) {
        return DraftRouter.route(endpoint.specFor(input), input);
    }

    @Test
    void everyPlainTextToVideoRequestOnAPricierModelGoesToAKling2Endpoint() {
        for (KlingEndpoint endpoint : KlingEndpoint.values()) {
            ObjectNode silent = plain().put("generate_audio", false);
            Optional<DraftRouter.Route> route = route(endpoint, silent);
            boolean pricierT2v = endpoint.mode() == GenerationMode.TEXT_TO_VIDEO
                    && !DraftRouter.TARGETS.contains(endpoint);
            assertEquals(pricierT2v, route.isPresent(), endpoint.id());
            if (route.isPresent()) {
                // silent: both 2.x endpoints cost $0.07/s; the newer one wins the tie
                assertEquals(KlingEndpoint.V2_6_PRO_T2V.id(), route.get().spec().endpointId(), endpoint.id());
                assertEquals(new GenerationSpec(KlingEndpoint.V2_6_PRO_T2V.id(), 5, false, false), route.get().spec());
                // v2.6 generates audio unless told not to: the routed input says so explicitly
                assertFalse(route.get().input().path("generate_audio").booleanValue());
                assertEquals("9:16", route.get().input().path("aspect_ratio").asText());
                assertEquals("blur", route.get().input().path("negative_prompt").asText());
            }
        }
    }

    @Test
    void audioGoesToV26WhichIsTheOnlyKling2ModelWithAudio() {
        ObjectNode input = plain().put("generate_audio", true).put("duration", "10");
        DraftRouter.Route route = route(KlingEndpoint.V3_PRO_T2V, input).orElseThrow();
        assertEquals(new GenerationSpec(KlingEndpoint.V2_6_PRO_T2V.id(), 10, true, false), route.spec());
        assertTrue(route.input().path("generate_audio").booleanValue());
        // V3 defaults to audio on: no generate_audio means audio, and routing keeps it
        ObjectNode defaulted = plain();
        assertTrue(route(KlingEndpoint.V3_STANDARD_T2V, defaulted).orElseThrow().spec().audio());
    }

    @Test
    void kling25TurboDropsTheAudioParameterItDoesNotKnow() {
        ObjectNode translated = DraftRouter.translate(KlingEndpoint.V2_5_TURBO_PRO_T2V,
                plain().put("generate_audio", false), false);
        assertFalse(translated.has("generate_audio"));
        assertEquals("5", translated.path("duration").asText());
    }

    @Test
    void whatKling2CannotRenderRunsAsRequested() {
        KlingEndpoint v3 = KlingEndpoint.V3_STANDARD_T2V;
        ObjectNode storyboard = plain();
        storyboard.remove("duration");
        storyboard.putArray("multi_prompt").addObject().put("prompt", "shot one").put("duration", "5");
        assertTrue(route(v3, storyboard).isEmpty(), "multi_prompt");
        assertTrue(route(v3, plain().put("duration", "7")).isEmpty(), "7 s");
        assertTrue(route(v3, plain().put("duration", "15")).isEmpty(), "15 s");
        assertTrue(route(v3, plain().put("seed", 42)).isEmpty(), "seed");
        assertTrue(route(v3, plain().put("shot_type", "customize")).isEmpty(), "shot_type");
        ObjectNode elements = plain();
        elements.putArray("elements").addObject().put("image_url", "https://cdn.example/a.png");
        assertTrue(route(v3, elements).isEmpty(), "elements");
        ObjectNode voices = plain();
        voices.putArray("voice_ids").add("v1");
        assertTrue(route(KlingEndpoint.O3_PRO_T2V, voices).isEmpty(), "voice_ids");
        // image-to-video: the catalog has no Kling 2.x image-to-video endpoint
        ObjectNode i2v = plain().put("start_image_url", "https://cdn.example/start.png");
        assertTrue(route(KlingEndpoint.V3_PRO_I2V, i2v).isEmpty(), "i2v");
        // already the cheapest
        assertTrue(route(KlingEndpoint.V2_5_TURBO_PRO_T2V, plain()).isEmpty());
        assertTrue(DraftRouter.route(new GenerationSpec("fal-ai/some-other/model", 5, false, false), plain()).isEmpty());
    }

    @Test
    void nullFieldsAreIgnoredAndDropped() {
        ObjectNode input = plain().put("generate_audio", false);
        input.putNull("seed");
        DraftRouter.Route route = route(KlingEndpoint.O3_STANDARD_T2V, input).orElseThrow();
        assertFalse(route.input().has("seed"));
    }
}
