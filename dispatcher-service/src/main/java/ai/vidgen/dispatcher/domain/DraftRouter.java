package ai.vidgen.dispatcher.domain;

import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.catalog.GenerationMode;
import ai.vidgen.events.catalog.KlingEndpoint;
import ai.vidgen.events.catalog.ModelFamily;
import ai.vidgen.events.catalog.Tier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Draft routing: a generation whose owner asked for a draft runs on the cheapest Kling endpoint
 * that can render the same request, when that is cheaper than the one it names.
 *
 * <p>The targets are the Kling 2.x endpoints of the catalog, which are text-to-video only (the
 * catalog has no 2.x image-to-video endpoint, so image-to-video drafts run as requested). A
 * request is compatible when its input uses only what Kling 2.x accepts: a plain {@code prompt},
 * {@code duration} "5" or "10", {@code aspect_ratio}, {@code negative_prompt}, {@code cfg_scale}
 * and {@code generate_audio} (audio only on v2.6 pro). Storyboards ({@code multi_prompt}),
 * elements, voices, seeds, shot types or any field this class does not know keep the request on
 * its own endpoint: a draft that fal refuses is worth less than a full-price render.
 *
 * <p>Prices per second (fal, 2026-02 price book), used only to compare: V3/O3 standard 0.168
 * (0.224 with audio), pro 0.252 (0.336); v2.6 pro 0.07 (0.14 with audio); v2.5 turbo pro 0.07
 * (no audio). At a tie the newer model (v2.6 pro) wins.
 */
public final class DraftRouter {

    /** What a draft runs as: the routed spec and fal input. */
    public record Route(GenerationSpec spec, ObjectNode input) {
    }

    /** The fields Kling 2.x text-to-video accepts. */
    static final Set<String> V2_FIELDS = Set.of("prompt", "duration", "aspect_ratio", "negative_prompt",
            "cfg_scale", "generate_audio");
    static final Set<String> V2_DURATIONS = Set.of("5", "10");
    static final Set<String> ASPECT_RATIOS = Set.of("16:9", "9:16", "1:1");

    /** Routing targets, preferred first at equal price. */
    static final List<KlingEndpoint> TARGETS = List.of(KlingEndpoint.V2_6_PRO_T2V, KlingEndpoint.V2_5_TURBO_PRO_T2V);

    private DraftRouter() {
    }

    /**
     * @return the cheaper route, or empty when the generation runs as requested (no cheaper
     *     compatible endpoint, or not a request this class understands)
     */
    public static Optional<Route> route(GenerationSpec spec, JsonNode input) {
        Optional<KlingEndpoint> requested = KlingEndpoint.byId(spec.endpointId());
        if (requested.isEmpty() || requested.get().mode() != GenerationMode.TEXT_TO_VIDEO || spec.voiceControl()
                || !V2_DURATIONS.contains(Integer.toString(spec.seconds()))
                || input == null || !input.isObject() || !plainV2Input(input)) {
            return Optional.empty();
        }
        OptionalLong current = rateMicrosPerSecond(requested.get(), spec.audio());
        KlingEndpoint best = null;
        long bestRate = Long.MAX_VALUE;
        for (KlingEndpoint target : TARGETS) {
            OptionalLong rate = rateMicrosPerSecond(target, spec.audio());
            if (rate.isPresent() && rate.getAsLong() < bestRate) {
                best = target;
                bestRate = rate.getAsLong();
            }
        }
        if (best == null || best == requested.get() || current.isEmpty() || bestRate >= current.getAsLong()) {
            return Optional.empty();
        }
        return Optional.of(new Route(new GenerationSpec(best.id(), spec.seconds(), spec.audio(), false),
                translate(best, (ObjectNode) input, spec.audio())));
    }

    private static boolean plainV2Input(JsonNode input) {
        for (Iterator<String> names = input.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!V2_FIELDS.contains(name) && !input.get(name).isNull()) {
                return false;
            }
        }
        JsonNode prompt = input.get("prompt");
        if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
            return false;
        }
        JsonNode duration = input.get("duration");
        if (duration != null && !duration.isNull() && !(duration.isTextual() && V2_DURATIONS.contains(duration.asText()))) {
            return false;
        }
        JsonNode ratio = input.get("aspect_ratio");
        return ratio == null || ratio.isNull() || (ratio.isTextual() && ASPECT_RATIOS.contains(ratio.asText()));
    }

    /**
     * The input for the target: the same fields, with {@code generate_audio} made explicit for
     * v2.6 (whose default is audio on, which would double the price of a silent draft) and left
     * out for v2.5 turbo (which has no such parameter). Nulls are dropped.
     */
    static ObjectNode translate(KlingEndpoint target, ObjectNode input, boolean audio) {
        ObjectNode routed = input.objectNode();
        input.fields().forEachRemaining(field -> {
            if (!field.getValue().isNull() && !"generate_audio".equals(field.getKey())) {
                routed.set(field.getKey(), field.getValue().deepCopy());
            }
        });
        if (target.family() == ModelFamily.V2_6) {
            routed.put("generate_audio", audio);
        }
        return routed;
    }

    /** fal's price per second of output for a text-to-video endpoint, or empty when it has none. */
    static OptionalLong rateMicrosPerSecond(KlingEndpoint endpoint, boolean audio) {
        return switch (endpoint.family()) {
            case V3, O3 -> OptionalLong.of(endpoint.tier() == Tier.PRO
                    ? (audio ? 336_000 : 252_000)
                    : (audio ? 224_000 : 168_000));
            case V2_6 -> OptionalLong.of(audio ? 140_000 : 70_000);
            case V2_5_TURBO -> audio ? OptionalLong.empty() : OptionalLong.of(70_000);
        };
    }
}
