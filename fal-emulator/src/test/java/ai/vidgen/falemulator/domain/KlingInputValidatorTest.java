package ai.vidgen.falemulator.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.catalog.KlingEndpoint;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class KlingInputValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<FieldError> validate(KlingEndpoint endpoint, String input) {
        return KlingInputValidator.validate(endpoint, json(input));
    }

    @ParameterizedTest
    @EnumSource(value = KlingEndpoint.class, names = {"V3_STANDARD_T2V", "V3_PRO_T2V", "O3_STANDARD_T2V", "O3_PRO_T2V"})
    void acceptsFalsOwnTextToVideoExample(KlingEndpoint endpoint) {
        assertEquals(List.of(), validate(endpoint, """
                {"prompt":"drone shot over ruins","duration":"5","multi_prompt":null,"generate_audio":true,
                 "shot_type":"customize","aspect_ratio":"16:9","negative_prompt":"blur","cfg_scale":0.5}"""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2\"", "\"16\"", "5", "\"five\"", "\"\""})
    void rejectsDurationsOutsideTheStringEnum(String duration) {
        List<FieldError> errors = validate(KlingEndpoint.V3_STANDARD_T2V, "{\"prompt\":\"p\",\"duration\":" + duration + "}");
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(List.of("body", "duration"), errors.get(0).loc());
        assertEquals("type_error.enum", errors.get(0).type());
        assertTrue(errors.get(0).msg().contains("'15'"), errors.get(0).msg());
    }

    @Test
    void needsAPromptOrShots() {
        List<FieldError> errors = validate(KlingEndpoint.O3_PRO_T2V, "{\"duration\":\"5\",\"multi_prompt\":[]}");
        assertEquals(1, errors.size());
        assertEquals(List.of("body", "root"), errors.get(0).loc());
        assertEquals("value_error", errors.get(0).type());
        assertEquals(List.of(), validate(KlingEndpoint.O3_PRO_T2V,
                "{\"multi_prompt\":[{\"prompt\":\"a\",\"duration\":\"3\"},{\"prompt\":\"b\"}]}"));
    }

    @Test
    void refusesPromptAndShotsTogether() {
        for (KlingEndpoint endpoint : List.of(KlingEndpoint.V3_PRO_T2V, KlingEndpoint.O3_STANDARD_I2V, KlingEndpoint.O3_PRO_R2V)) {
            List<FieldError> errors = validate(endpoint,
                    "{\"prompt\":\"p\",\"image_url\":\"u\",\"multi_prompt\":[{\"prompt\":\"a\",\"duration\":\"3\"}]}");
            assertEquals(1, errors.size(), endpoint + ": " + errors);
            assertEquals(List.of("body", "root"), errors.get(0).loc());
            assertEquals("value_error", errors.get(0).type());
        }
        assertEquals(List.of(), validate(KlingEndpoint.V3_PRO_T2V, "{\"prompt\":\"p\",\"multi_prompt\":null}"));
    }

    @Test
    void textToImageHasItsOwnParameters() {
        assertEquals(List.of(), validate(KlingEndpoint.O3_TEXT_TO_IMAGE, """
                {"prompt":"p","aspect_ratio":"21:9","resolution":"2K","num_images":9,"output_format":"webp",
                 "image_urls":["https://s/a.png"],"duration":"99","generate_audio":"no"}"""));
        assertEquals(List.of(List.of("body", "prompt"), List.of("body", "resolution"), List.of("body", "num_images")),
                validate(KlingEndpoint.O3_TEXT_TO_IMAGE, "{\"resolution\":\"4K\",\"num_images\":0}")
                        .stream().map(FieldError::loc).toList());
        GenerationPlan plan = GenerationPlan.of(KlingEndpoint.O3_TEXT_TO_IMAGE,
                json("{\"prompt\":\"p\",\"aspect_ratio\":\"4:3\",\"num_images\":3}"));
        assertEquals(new ImageSpec(ImageShape.LANDSCAPE_4_3, false, "png"), plan.image().orElseThrow());
        assertEquals(3, plan.imageCount());
    }

    @Test
    void motionControlsInputVideoLimitFollowsTheOrientation() {
        GenerationPlan image = GenerationPlan.of(KlingEndpoint.V3_STANDARD_MOTION_CONTROL,
                json("{\"image_url\":\"u\",\"video_url\":\"v\",\"character_orientation\":\"image\"}"));
        GenerationPlan video = GenerationPlan.of(KlingEndpoint.V3_STANDARD_MOTION_CONTROL,
                json("{\"image_url\":\"u\",\"video_url\":\"v\",\"character_orientation\":\"video\"}"));
        FieldError tooLong = KlingInputValidator.inputVideoErrors(image, new InputVideo(10.5, false)).orElseThrow();
        assertEquals("video_duration_too_long", tooLong.type());
        assertEquals(List.of("body", "video_url"), tooLong.loc());
        assertTrue(KlingInputValidator.inputVideoErrors(image, new InputVideo(10.0, false)).isEmpty());
        assertTrue(KlingInputValidator.inputVideoErrors(video, new InputVideo(29.9, true)).isEmpty());
        assertFalse(KlingInputValidator.inputVideoErrors(video, new InputVideo(31, true)).isEmpty());
        GenerationPlan edit = GenerationPlan.of(KlingEndpoint.O3_PRO_V2V_EDIT, json("{\"prompt\":\"p\",\"video_url\":\"v\"}"));
        assertTrue(KlingInputValidator.inputVideoErrors(edit, new InputVideo(60, true)).isEmpty(), "no documented limit");
    }

    @Test
    void checksEveryShot() {
        List<FieldError> errors = validate(KlingEndpoint.V3_PRO_T2V,
                "{\"multi_prompt\":[{\"duration\":\"3\"},{\"prompt\":\"b\",\"duration\":\"1\"},\"x\"]}");
        assertEquals(List.of(
                List.of("body", "multi_prompt", 0, "prompt"),
                List.of("body", "multi_prompt", 1, "duration"),
                List.of("body", "multi_prompt", 2)), errors.stream().map(FieldError::loc).toList());
    }

    @Test
    void capsShotsAtSixAndFifteenSeconds() {
        String seven = "{\"prompt\":\"p\",\"duration\":\"3\"},".repeat(6) + "{\"prompt\":\"p\",\"duration\":\"3\"}";
        List<FieldError> tooMany = validate(KlingEndpoint.V3_PRO_T2V, "{\"multi_prompt\":[" + seven + "]}");
        assertEquals("value_error.list.max_items", tooMany.get(0).type());
        List<FieldError> tooLong = validate(KlingEndpoint.V3_PRO_T2V,
                "{\"multi_prompt\":[{\"prompt\":\"a\",\"duration\":\"10\"},{\"prompt\":\"b\",\"duration\":\"6\"}]}");
        assertEquals(1, tooLong.size());
        assertEquals(List.of("body", "multi_prompt"), tooLong.get(0).loc());
    }

    @Test
    void checksTheSharedParameters() {
        List<FieldError> errors = validate(KlingEndpoint.V3_STANDARD_T2V, """
                {"prompt":"p","aspect_ratio":"4:3","generate_audio":"yes","cfg_scale":1.5,
                 "shot_type":"auto","voice_ids":["a","b","c"],"negative_prompt":7}""");
        assertEquals(List.of("negative_prompt", "aspect_ratio", "generate_audio", "cfg_scale", "shot_type", "voice_ids"),
                errors.stream().map(e -> e.loc().get(1)).toList());
    }

    @Test
    void rejectsABodyThatIsNoObject() {
        List<FieldError> errors = validate(KlingEndpoint.V3_STANDARD_T2V, "[1,2]");
        assertEquals(List.of("body"), errors.get(0).loc());
        assertEquals("type_error.dict", errors.get(0).type());
    }

    @Test
    void imageToVideoNeedsItsStartImage() {
        assertEquals(List.of("body", "start_image_url"),
                validate(KlingEndpoint.V3_PRO_I2V, "{\"prompt\":\"p\"}").get(0).loc());
        assertEquals(List.of("body", "image_url"),
                validate(KlingEndpoint.O3_PRO_I2V, "{\"prompt\":\"p\",\"start_image_url\":\"u\"}").get(0).loc());
        assertEquals(List.of(), validate(KlingEndpoint.O3_PRO_I2V, "{\"prompt\":\"p\",\"image_url\":\"data:image/png;base64,AA\"}"));
    }

    @Test
    void olderFamiliesOfferFiveOrTenSeconds() {
        assertEquals(List.of(), validate(KlingEndpoint.V2_6_PRO_T2V, "{\"prompt\":\"p\",\"duration\":\"10\"}"));
        assertFalse(validate(KlingEndpoint.V2_6_PRO_T2V, "{\"prompt\":\"p\",\"duration\":\"7\"}").isEmpty());
        assertEquals(List.of("body", "prompt"), validate(KlingEndpoint.V2_5_TURBO_PRO_T2V, "{}").get(0).loc());
    }

    @Test
    void planTakesSecondsAudioAndVoiceFromTheCatalog() {
        GenerationPlan v3 = GenerationPlan.of(KlingEndpoint.V3_STANDARD_T2V, json(
                "{\"multi_prompt\":[{\"prompt\":\"a\",\"duration\":\"4\"},{\"prompt\":\"b\",\"duration\":\"3\"}],\"aspect_ratio\":\"9:16\"}"));
        assertEquals(new VideoSpec(7, AspectRatio.PORTRAIT_9_16, true), v3.video().orElseThrow());
        GenerationPlan o3 = GenerationPlan.of(KlingEndpoint.O3_PRO_T2V, json("{\"prompt\":\"p\",\"voice_ids\":[\"v\"]}"));
        assertEquals(new VideoSpec(5, AspectRatio.LANDSCAPE_16_9, false), o3.video().orElseThrow());
        assertTrue(o3.voiceControl());
        GenerationPlan i2v = GenerationPlan.of(KlingEndpoint.V3_PRO_I2V,
                json("{\"prompt\":\"p\",\"start_image_url\":\"u\",\"aspect_ratio\":\"1:1\",\"generate_audio\":false}"));
        assertEquals(new VideoSpec(5, AspectRatio.LANDSCAPE_16_9, false), i2v.video().orElseThrow(), "i2v frames follow the image");
    }
}
