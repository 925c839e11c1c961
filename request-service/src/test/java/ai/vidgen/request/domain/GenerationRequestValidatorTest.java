package ai.vidgen.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GenerationRequestValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final GenerationRequestValidator VALIDATOR =
            new GenerationRequestValidator(Clock.fixed(NOW, ZoneOffset.UTC));

    private static final String V3_STD_T2V = "fal-ai/kling-video/v3/standard/text-to-video";
    private static final String V3_PRO_I2V = "fal-ai/kling-video/v3/pro/image-to-video";
    private static final String O3_STD_T2V = "fal-ai/kling-video/o3/standard/text-to-video";
    private static final String O3_PRO_R2V = "fal-ai/kling-video/o3/pro/reference-to-video";
    private static final String V3_MOTION = "fal-ai/kling-video/v3/standard/motion-control";
    private static final String V2_6_T2V = "fal-ai/kling-video/v2.6/pro/text-to-video";
    private static final String O3_T2I = "fal-ai/kling-image/o3/text-to-image";

    /** Valid requests and the spec they must price at. */
    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("V3 t2v, defaults", body(V3_STD_T2V, "{\"prompt\":\"a fox\"}"),
                        new GenerationSpec(V3_STD_T2V, 5, true, false)),
                Arguments.of("V3 t2v, 5 s with audio", body(V3_STD_T2V,
                        "{\"prompt\":\"a fox\",\"duration\":\"5\",\"generate_audio\":true,\"aspect_ratio\":\"9:16\"}"),
                        new GenerationSpec(V3_STD_T2V, 5, true, false)),
                Arguments.of("V3 t2v, 15 s silent", body(V3_STD_T2V,
                        "{\"prompt\":\"a fox\",\"duration\":\"15\",\"generate_audio\":false,\"cfg_scale\":0}"),
                        new GenerationSpec(V3_STD_T2V, 15, false, false)),
                Arguments.of("fal's own example with nulls", body(V3_STD_T2V,
                        "{\"prompt\":\"ruins\",\"duration\":\"5\",\"multi_prompt\":null,\"generate_audio\":true,"
                                + "\"shot_type\":\"customize\",\"aspect_ratio\":\"16:9\","
                                + "\"negative_prompt\":\"blur, distort, and low quality\",\"cfg_scale\":0.5}"),
                        new GenerationSpec(V3_STD_T2V, 5, true, false)),
                Arguments.of("storyboard of 3 shots = 12 s", body(V3_STD_T2V,
                        "{\"multi_prompt\":[{\"prompt\":\"a\",\"duration\":\"5\"},{\"prompt\":\"b\",\"duration\":\"4\"},"
                                + "{\"prompt\":\"c\",\"duration\":\"3\"}],\"shot_type\":\"customize\"}"),
                        new GenerationSpec(V3_STD_T2V, 12, true, false)),
                Arguments.of("O3 with voices", body(O3_STD_T2V,
                        "{\"prompt\":\"a talk\",\"generate_audio\":true,\"voice_ids\":[\"v1\",\"v2\"]}"),
                        new GenerationSpec(O3_STD_T2V, 5, true, true)),
                Arguments.of("O3 reference-to-video, audio off by default", body(O3_PRO_R2V,
                        "{\"prompt\":\"@Element1 enters\",\"duration\":\"8\",\"start_image_url\":\"https://x.test/a.png\","
                                + "\"elements\":[{\"frontal_image_url\":\"https://x.test/e.png\"}]}"),
                        new GenerationSpec(O3_PRO_R2V, 8, false, false)),
                Arguments.of("V3 i2v with its start frame", body(V3_PRO_I2V,
                        "{\"prompt\":\"orbit\",\"start_image_url\":\"https://x.test/a.png\",\"duration\":\"10\"}"),
                        new GenerationSpec(V3_PRO_I2V, 10, true, false)),
                Arguments.of("motion control needs no prompt", body(V3_MOTION,
                        "{\"image_url\":\"https://x.test/a.png\",\"video_url\":\"https://x.test/b.mp4\","
                                + "\"character_orientation\":\"video\"}"),
                        // Before the video's length is read: the longest output of orientation video.
                        new GenerationSpec(V3_MOTION, 30, false, false)),
                Arguments.of("Kling 2.6, 10 s", body(V2_6_T2V, "{\"prompt\":\"a fox\",\"duration\":\"10\"}"),
                        new GenerationSpec(V2_6_T2V, 10, true, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void acceptsAndPrices(String name, String body, GenerationSpec spec) throws Exception {
        ValidationResult result = VALIDATOR.validate(JSON.readTree(body));
        ValidationResult.Valid valid = assertInstanceOf(ValidationResult.Valid.class, result,
                () -> name + " was refused: " + result);
        assertEquals(spec, valid.request().spec());
        assertEquals(Priority.INTERACTIVE, valid.request().priority());
    }

    /** Invalid requests and the (pointer, start of detail) of every violation they must report. */
    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("duration out of range", body(V3_STD_T2V, "{\"prompt\":\"a\",\"duration\":\"17\"}"),
                        List.of(v("/input/duration", "duration must be one of \"3\"..\"15\" (a string); got \"17\""))),
                Arguments.of("duration as a number", body(V3_STD_T2V, "{\"prompt\":\"a\",\"duration\":5}"),
                        List.of(v("/input/duration", "duration must be one of \"3\"..\"15\" (a string); got 5"))),
                Arguments.of("duration too short", body(V3_STD_T2V, "{\"prompt\":\"a\",\"duration\":\"2\"}"),
                        List.of(v("/input/duration", "duration must be one of"))),
                Arguments.of("no prompt at all", body(V3_STD_T2V, "{}"),
                        List.of(v("/input/prompt", "prompt is required"))),
                Arguments.of("prompt and multi_prompt", body(V3_STD_T2V,
                        "{\"prompt\":\"a\",\"multi_prompt\":[{\"prompt\":\"b\",\"duration\":\"5\"}]}"),
                        List.of(v("/input/multi_prompt", "give either prompt or multi_prompt, not both"))),
                Arguments.of("blank prompt", body(V3_STD_T2V, "{\"prompt\":\"  \"}"),
                        List.of(v("/input/prompt", "prompt must be a non-empty string"))),
                Arguments.of("aspect ratio", body(V3_STD_T2V, "{\"prompt\":\"a\",\"aspect_ratio\":\"4:3\"}"),
                        List.of(v("/input/aspect_ratio", "aspect_ratio must be one of 16:9, 9:16, 1:1; got \"4:3\""))),
                Arguments.of("audio as a string", body(V3_STD_T2V, "{\"prompt\":\"a\",\"generate_audio\":\"yes\"}"),
                        List.of(v("/input/generate_audio", "generate_audio must be true or false"))),
                Arguments.of("cfg_scale above 1", body(V3_STD_T2V, "{\"prompt\":\"a\",\"cfg_scale\":1.5}"),
                        List.of(v("/input/cfg_scale", "cfg_scale must be a number from 0 to 1; got 1.5"))),
                Arguments.of("cfg_scale below 0", body(V3_STD_T2V, "{\"prompt\":\"a\",\"cfg_scale\":-0.1}"),
                        List.of(v("/input/cfg_scale", "cfg_scale must be a number from 0 to 1"))),
                Arguments.of("seven shots", body(V3_STD_T2V, "{\"multi_prompt\":[" + shots(7, "2") + "]}"),
                        List.of(v("/input/multi_prompt", "multi_prompt must hold 1 to 6 shots; got 7"))),
                Arguments.of("shots over 15 s", body(V3_STD_T2V, "{\"multi_prompt\":[" + shots(3, "6") + "]}"),
                        List.of(v("/input/multi_prompt", "multi_prompt durations add up to 18 s; the video must be 3 to 15 s"))),
                Arguments.of("empty storyboard", body(V3_STD_T2V, "{\"multi_prompt\":[]}"),
                        List.of(v("/input/multi_prompt", "multi_prompt must hold 1 to 6 shots; got 0"))),
                Arguments.of("shot without prompt or duration", body(V3_STD_T2V,
                        "{\"multi_prompt\":[{\"prompt\":\"a\",\"duration\":\"5\"},{}]}"),
                        List.of(v("/input/multi_prompt/1/prompt", "each shot needs a prompt"),
                                v("/input/multi_prompt/1/duration", "each shot needs a duration"))),
                Arguments.of("voices on V3", body(V3_STD_T2V, "{\"prompt\":\"a\",\"voice_ids\":[\"v1\"]}"),
                        List.of(v("/input/voice_ids", "voice_ids (voice control) is supported by Kling O3 endpoints only"))),
                Arguments.of("blank voice id on O3", body(O3_STD_T2V, "{\"prompt\":\"a\",\"voice_ids\":[\"\"]}"),
                        List.of(v("/input/voice_ids/0", "each voice id must be a non-empty string"))),
                Arguments.of("unknown endpoint", "{\"endpoint_id\":\"fal-ai/kling-video/v9/x\",\"input\":{\"prompt\":\"a\"}}",
                        List.of(v("/endpoint_id", "endpoint_id \"fal-ai/kling-video/v9/x\" is not a Kling endpoint"))),
                Arguments.of("no endpoint, no input", "{}",
                        List.of(v("/endpoint_id", "endpoint_id is required"), v("/input", "input (fal's input object"))),
                Arguments.of("input not an object", "{\"endpoint_id\":\"" + V3_STD_T2V + "\",\"input\":\"a fox\"}",
                        List.of(v("/input", "input must be a JSON object; got a string"))),
                Arguments.of("priority", "{\"endpoint_id\":\"" + V3_STD_T2V + "\",\"input\":{\"prompt\":\"a\"},\"priority\":\"urgent\"}",
                        List.of(v("/priority", "priority must be \"interactive\" or \"batch\"; got \"urgent\""))),
                Arguments.of("deadline in the past", "{\"endpoint_id\":\"" + V3_STD_T2V
                                + "\",\"input\":{\"prompt\":\"a\"},\"deadline\":\"2026-03-01T11:00:00Z\"}",
                        List.of(v("/deadline", "deadline 2026-03-01T11:00:00Z has already passed"))),
                Arguments.of("deadline not a time", "{\"endpoint_id\":\"" + V3_STD_T2V
                                + "\",\"input\":{\"prompt\":\"a\"},\"deadline\":\"tomorrow\"}",
                        List.of(v("/deadline", "deadline must be an ISO-8601 instant"))),
                Arguments.of("metadata value not a string", "{\"endpoint_id\":\"" + V3_STD_T2V
                                + "\",\"input\":{\"prompt\":\"a\"},\"metadata\":{\"campaign\":7}}",
                        List.of(v("/metadata/campaign", "metadata values must be strings"))),
                Arguments.of("unknown top-level field", "{\"endpoint_id\":\"" + V3_STD_T2V
                                + "\",\"input\":{\"prompt\":\"a\"},\"prio\":\"batch\"}",
                        List.of(v("/prio", "unknown field \"prio\""))),
                Arguments.of("i2v without start frame", body(V3_PRO_I2V, "{\"prompt\":\"a\"}"),
                        List.of(v("/input/start_image_url", "start_image_url is required"))),
                Arguments.of("url that fal cannot fetch", body(V3_PRO_I2V, "{\"prompt\":\"a\",\"start_image_url\":\"file:///etc/passwd\"}"),
                        List.of(v("/input/start_image_url", "start_image_url must be an absolute https URL"))),
                Arguments.of("Kling 2.6 duration", body(V2_6_T2V, "{\"prompt\":\"a\",\"duration\":\"7\"}"),
                        List.of(v("/input/duration", "duration must be \"5\" or \"10\""))),
                Arguments.of("storyboard on Kling 2.6", body(V2_6_T2V, "{\"multi_prompt\":[" + shots(1, "5") + "]}"),
                        List.of(v("/input/multi_prompt", "multi_prompt is not supported"),
                                v("/input/prompt", "prompt is required by"))),
                Arguments.of("duration on an image endpoint", body(O3_T2I, "{\"prompt\":\"a\",\"duration\":\"5\"}"),
                        List.of(v("/input/duration", "duration does not apply"))),
                Arguments.of("everything at once", "{\"endpoint_id\":\"" + V3_STD_T2V + "\",\"priority\":\"now\","
                                + "\"input\":{\"prompt\":\"a\",\"duration\":\"17\",\"aspect_ratio\":\"4:3\",\"cfg_scale\":2,"
                                + "\"generate_audio\":1,\"voice_ids\":[\"v\"]}}",
                        List.of(v("/input/duration", "duration must be one of"),
                                v("/input/aspect_ratio", "aspect_ratio must be one of"),
                                v("/input/generate_audio", "generate_audio must be true or false"),
                                v("/input/cfg_scale", "cfg_scale must be a number"),
                                v("/input/voice_ids", "voice_ids (voice control)"),
                                v("/priority", "priority must be"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void reportsEveryViolation(String name, String body, List<Violation> expected) throws Exception {
        ValidationResult result = VALIDATOR.validate(JSON.readTree(body));
        ValidationResult.Invalid invalid = assertInstanceOf(ValidationResult.Invalid.class, result,
                () -> name + " was accepted");
        assertEquals(expected.size(), invalid.violations().size(), () -> name + ": " + invalid.violations());
        for (Violation want : expected) {
            assertTrue(invalid.violations().stream().anyMatch(got -> got.pointer().equals(want.pointer())
                            && got.detail().startsWith(want.detail())),
                    () -> name + ": expected " + want + " among " + invalid.violations());
        }
    }

    @Test
    void bodyMustBeAnObject() throws Exception {
        assertInstanceOf(ValidationResult.Invalid.class, VALIDATOR.validate(JSON.readTree("[1]")));
        assertInstanceOf(ValidationResult.Invalid.class, VALIDATOR.validate(null));
    }

    @Test
    void oneAnswerListsAtMostFiftyProblems() throws Exception {
        StringBuilder input = new StringBuilder("{\"prompt\":\"a\"");
        for (int i = 0; i < 120; i++) {
            input.append(",\"typo").append(i).append("\":1");
        }
        var invalid = (ValidationResult.Invalid) VALIDATOR.validate(JSON.readTree(body(V3_STD_T2V, input + "}")));
        assertEquals(50, invalid.violations().size());
        assertEquals(v("", "71 more problems not listed"), new Violation(invalid.violations().get(49).pointer(),
                invalid.violations().get(49).detail().substring(0, "71 more problems not listed".length())));
    }

    @Test
    void anOversizedListIsCountedNotCheckedEntryByEntry() throws Exception {
        StringBuilder urls = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            urls.append(i == 0 ? "" : ",").append("\"not a url\"");
        }
        var invalid = (ValidationResult.Invalid) VALIDATOR.validate(JSON.readTree(body(O3_PRO_R2V,
                "{\"prompt\":\"@Image1\",\"image_urls\":" + urls + "]}")));
        assertEquals(List.of("/input/image_urls"), invalid.violations().stream().map(Violation::pointer).toList());
        assertTrue(invalid.violations().get(0).detail().startsWith("image_urls holds at most 7 URLs; got 1000"),
                invalid.violations().get(0).detail());
    }

    @Test
    void keepsPriorityDeadlineMetadataAndTheInputAsGiven() throws Exception {
        JsonNode body = JSON.readTree("{\"endpoint_id\":\"" + V3_STD_T2V + "\",\"priority\":\"batch\","
                + "\"deadline\":\"2026-03-01T14:00:00+01:00\",\"metadata\":{\"campaign\":\"spring\"},"
                + "\"input\":{\"prompt\":\"a\",\"seed\":42,\"negative_prompt\":\"blur\"}}");
        ValidatedRequest request = ((ValidationResult.Valid) VALIDATOR.validate(body)).request();
        assertEquals(Priority.BATCH, request.priority());
        assertEquals(Instant.parse("2026-03-01T13:00:00Z"), request.deadline());
        assertEquals("spring", request.metadata().get("campaign"));
        assertEquals(body.get("input"), request.input());
    }

    @Test
    void fingerprintIgnoresKeyOrderAndDefaultsButNotContent() throws Exception {
        String a = fingerprint("{\"endpoint_id\":\"" + V3_STD_T2V + "\",\"input\":{\"prompt\":\"a\",\"duration\":\"5\"}}");
        String b = fingerprint("{\"input\":{\"duration\":\"5\",\"prompt\":\"a\"},\"priority\":\"interactive\","
                + "\"endpoint_id\":\"" + V3_STD_T2V + "\"}");
        String c = fingerprint("{\"endpoint_id\":\"" + V3_STD_T2V + "\",\"input\":{\"prompt\":\"a\",\"duration\":\"6\"}}");
        assertEquals(a, b);
        assertFalse(a.equals(c));
    }

    private static String fingerprint(String body) throws Exception {
        return RequestFingerprint.of(((ValidationResult.Valid) VALIDATOR.validate(JSON.readTree(body))).request());
    }

    private static String body(String endpoint, String input) {
        return "{\"endpoint_id\":\"" + endpoint + "\",\"input\":" + input + "}";
    }

    private static String shots(int count, String duration) {
        StringBuilder json = new StringBuilder();
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("{\"prompt\":\"shot ").append(i).append("\",\"duration\":\"")
                    .append(duration).append("\"}");
        }
        return json.toString();
    }

    private static Violation v(String pointer, String detailStart) {
        return new Violation(pointer, detailStart);
    }
}
