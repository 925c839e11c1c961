package ai.vidgen.falemulator.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.catalog.KlingEndpoint;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InputMediaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void findsEveryUrlFieldAtTheTopAndInElementsInInputOrder() throws Exception {
        List<InputMedia> media = InputMedia.of(JSON.readTree("""
                {"prompt":"see https://not.a/field","start_image_url":"https://s/a.png","end_image_url":" ",
                 "image_urls":["https://s/b.png",7,"data:image/png;base64,AA"],"callback":"https://x",
                 "elements":[{"frontal_image_url":"https://s/c.png","reference_image_urls":["https://s/d.png"]},
                             {"video_url":"https://s/e.mp4"}],
                 "audio_url":"https://s/f.mp3"}"""));
        assertEquals(List.of("start_image_url", "image_urls[0]", "image_urls[2]", "audio_url",
                        "elements[0].frontal_image_url", "elements[0].reference_image_urls[0]", "elements[1].video_url"),
                media.stream().map(InputMedia::field).toList());
        assertEquals(List.of("body", "elements", 0, "reference_image_urls", 0), media.get(5).loc());
        assertTrue(media.get(2).isDataUri());
        assertFalse(media.get(0).isDataUri());
    }

    @Test
    void theLengthDecidingVideoIsTheTopLevelVideoOfMotionControlAndVideoToVideo() throws Exception {
        String input = """
                {"prompt":"p","image_url":"https://s/a.png","video_url":"https://s/v.mp4","character_orientation":"video",
                 "elements":[{"video_url":"https://s/e.mp4"}]}""";
        GenerationPlan motion = GenerationPlan.of(KlingEndpoint.V3_STANDARD_MOTION_CONTROL, JSON.readTree(input));
        assertEquals(Optional.of("https://s/v.mp4"), motion.lengthDecidingVideo().map(InputMedia::url));
        assertEquals(Optional.empty(), motion.requestedSeconds(), "unknown until the video is read");
        GenerationPlan reference = GenerationPlan.of(KlingEndpoint.O3_PRO_R2V, JSON.readTree(input));
        assertEquals(Optional.empty(), reference.lengthDecidingVideo());
        assertEquals(Optional.of(5), reference.requestedSeconds());
    }
}
