package ai.vidgen.localstack.chaos;

import ai.vidgen.events.catalog.KlingEndpoint;
import ai.vidgen.events.catalog.ModelFamily;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The workload's mix: every catalog endpoint in turn, five tenants, both priorities, drafts,
 * cancels and deadlines, a share of it over Kafka; all decided from one seed.
 */
final class GenerationMix {

    static final List<String> TENANTS = List.of("chaos-acme", "chaos-globex", "chaos-initech", "chaos-umbrella",
            "chaos-hooli");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Random random;
    private final ChaosMedia media;

    GenerationMix(long seed, ChaosMedia media) {
        this.random = new Random(seed);
        this.media = media;
    }

    List<PlannedGeneration> plan(int generations, Duration window) {
        KlingEndpoint[] endpoints = KlingEndpoint.values();
        List<PlannedGeneration> planned = new ArrayList<>(generations);
        long spacing = Math.max(1, window.toMillis() / Math.max(1, generations));
        for (int i = 0; i < generations; i++) {
            KlingEndpoint endpoint = endpoints[i % endpoints.length];
            boolean draft = endpoint == KlingEndpoint.V3_STANDARD_T2V && random.nextBoolean();
            Duration cancelAfter = random.nextInt(100) < 8 ? Duration.ofMillis(random.nextInt(15_000)) : null;
            Duration deadlineIn = random.nextInt(100) < 8 ? Duration.ofSeconds(2 + random.nextInt(40)) : null;
            boolean viaKafka = random.nextInt(100) < 20;
            planned.add(new PlannedGeneration(i, TENANTS.get(random.nextInt(TENANTS.size())), endpoint.id(),
                    body(endpoint, i, draft), Duration.ofMillis(i * spacing), cancelAfter, deadlineIn, draft, viaKafka));
        }
        return planned;
    }

    /** The request's JSON without a deadline (which is set when it is sent). */
    private String body(KlingEndpoint endpoint, int index, boolean draft) {
        ObjectNode request = JSON.createObjectNode();
        request.put("endpoint_id", endpoint.id());
        request.put("priority", random.nextInt(100) < 30 ? "batch" : "interactive");
        if (draft) {
            request.put("draft", true);
        }
        ObjectNode input = request.putObject("input");
        String prompt = "chaos shot " + index + ": a paper boat drifting down a rain gutter";
        switch (endpoint.mode()) {
            case TEXT_TO_VIDEO -> {
                input.put("prompt", prompt);
                input.put("duration", Integer.toString(5 + random.nextInt(2) * 5));
                if (draft) {
                    // Only a silent draft can run on the cheapest models, which generate no audio.
                    input.put("generate_audio", false);
                }
            }
            case TEXT_TO_IMAGE -> input.put("prompt", prompt);
            case IMAGE_TO_VIDEO -> {
                input.put("prompt", prompt);
                input.put(endpoint.family() == ModelFamily.O3 ? "image_url" : "start_image_url", media.imageDataUri());
            }
            case REFERENCE_TO_VIDEO -> {
                input.put("prompt", "@Image1 " + prompt);
                input.putArray("image_urls").add(media.imageDataUri());
            }
            case MOTION_CONTROL -> {
                input.put("image_url", media.imageDataUri());
                input.put("video_url", media.videoDataUri());
                input.put("character_orientation", "video");
            }
            case VIDEO_EDIT, VIDEO_REFERENCE -> {
                input.put("prompt", prompt);
                input.put("video_url", media.videoDataUri());
            }
        }
        return request.toString();
    }

    /** The body as sent: with its deadline, if it has one, counted from now. */
    static String withDeadline(PlannedGeneration generation) {
        if (generation.deadlineIn() == null) {
            return generation.body();
        }
        try {
            ObjectNode request = (ObjectNode) JSON.readTree(generation.body());
            request.put("deadline", Instant.now().plus(generation.deadlineIn()).toString());
            return request.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
