package ai.vidgen.events;

import static org.junit.jupiter.api.Assertions.*;

import ai.vidgen.events.catalog.KlingEndpoint;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.UndecodableEventException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private final EventCodec codec = new EventCodec("/vidgen/test");

    @Test
    void roundTripsEveryFieldAsAStructuredCloudEvent() {
        ObjectNode input = EventCodec.mapper().createObjectNode().put("prompt", "a fox").put("duration", "5");
        GenerationSpec spec = KlingEndpoint.V3_STANDARD_T2V.specFor(input);
        var requested = new GenerationRequested("g-1", "acme", spec, input, "interactive", null,
                Instant.parse("2026-11-21T10:00:00Z"));

        String json = codec.encode(requested);
        DecodedEvent decoded = EventCodec.decode(json);

        assertEquals(requested, decoded.data());
        assertEquals("1.0", decoded.envelope().specversion());
        assertEquals("ai.vidgen.generation.requested", decoded.envelope().type());
        assertEquals("g-1", decoded.envelope().subject());
        assertEquals("/vidgen/test", decoded.envelope().source());
    }

    @Test
    void theSameFactPublishedTwiceHasTheSameIdAndAnotherAttemptDoesNot() {
        var first = new GenerationFailed("g-1", "acme", 1, "downstream_service_error", "boom", true);
        var again = new GenerationFailed("g-1", "acme", 1, "downstream_service_error", "boom", true);
        var retry = new GenerationFailed("g-1", "acme", 2, "downstream_service_error", "boom", true);

        assertEquals(codec.envelope(first).id(), codec.envelope(again).id());
        assertNotEquals(codec.envelope(first).id(), codec.envelope(retry).id());
    }

    @Test
    void eachProgressChangeIsItsOwnEventButARepeatIsNot() {
        var queued3 = new GenerationProgress("g-1", "acme", 1, "IN_QUEUE", 3, java.util.List.of());
        var queued2 = new GenerationProgress("g-1", "acme", 1, "IN_QUEUE", 2, java.util.List.of());
        var running = new GenerationProgress("g-1", "acme", 1, "IN_PROGRESS", null, java.util.List.of("step 1"));
        var runningAgain = new GenerationProgress("g-1", "acme", 1, "IN_PROGRESS", null, java.util.List.of("step 1"));

        assertEquals(3, java.util.stream.Stream.of(queued3, queued2, running)
                .map(e -> codec.envelope(e).id()).distinct().count());
        assertEquals(codec.envelope(running).id(), codec.envelope(runningAgain).id());
    }

    @Test
    void rejectsWhatIsNotOneOfOurCloudEventsWithAReason() {
        var notJson = assertThrows(UndecodableEventException.class, () -> EventCodec.decode("{oops"));
        assertTrue(notJson.getMessage().startsWith("not a JSON CloudEvent"));

        var unknownType = assertThrows(UndecodableEventException.class, () -> EventCodec.decode(
                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"x\",\"type\":\"com.other\",\"data\":{}}"));
        assertTrue(unknownType.getMessage().contains("unknown event type com.other"));

        var noGeneration = assertThrows(UndecodableEventException.class, () -> EventCodec.decode(
                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"x\",\"type\":\"ai.vidgen.generation.rejected\",\"data\":{}}"));
        assertTrue(noGeneration.getMessage().contains("without a generationId"));
    }

    @Test
    void specSumsMultiShotDurationsAndAppliesTheEndpointsAudioDefault() {
        var mapper = EventCodec.mapper();
        ObjectNode multiShot = mapper.createObjectNode();
        multiShot.putArray("multi_prompt")
                .add(mapper.createObjectNode().put("prompt", "a").put("duration", "5"))
                .add(mapper.createObjectNode().put("prompt", "b").put("duration", "5"))
                .add(mapper.createObjectNode().put("prompt", "c").put("duration", "5"));

        GenerationSpec v3 = KlingEndpoint.V3_PRO_T2V.specFor(multiShot);
        assertEquals(15, v3.seconds());
        assertTrue(v3.audio(), "V3 generates audio unless told otherwise");

        ObjectNode voices = mapper.createObjectNode().put("prompt", "x");
        voices.putArray("voice_ids").add("v1");
        assertTrue(KlingEndpoint.O3_STANDARD_T2V.specFor(voices).voiceControl());
        assertFalse(KlingEndpoint.V3_STANDARD_T2V.specFor(voices).voiceControl(), "voice control is O3 only");
        assertEquals(5, KlingEndpoint.O3_STANDARD_T2V.specFor(voices).seconds());
    }
}
