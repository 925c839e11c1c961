package ai.vidgen.falemulator.domain;

import ai.vidgen.events.catalog.KlingEndpoint;
import ai.vidgen.events.catalog.ModelFamily;
import ai.vidgen.events.catalog.Tier;
import java.util.OptionalLong;

/**
 * What fal charges per generated second, in micro-dollars, by family, tier and audio: fal's
 * published Kling prices as of 2026-02 (the project's seed 000: V3 and O3 by tier, with audio off,
 * on, or with voice control; Kling v2.6 Pro off/on; v2.5 Turbo Pro without audio). The emulator
 * keeps its own copy, so it can say what fal would have charged independently of the platform's
 * price book. Endpoints without a per-second price (text-to-image; v2.5 Turbo with audio) have none.
 */
public final class FalPriceList {

    private FalPriceList() {
    }

    public static OptionalLong microsPerSecond(KlingEndpoint endpoint, boolean audio, boolean voiceControl) {
        if (!endpoint.producesVideo()) {
            return OptionalLong.empty();
        }
        ModelFamily family = endpoint.family();
        boolean pro = endpoint.tier() == Tier.PRO;
        return switch (family) {
            case V3, O3 -> OptionalLong.of(voiceControl ? (pro ? 392_000 : 268_000)
                    : audio ? (pro ? 336_000 : 224_000)
                    : (pro ? 252_000 : 168_000));
            case V2_6 -> OptionalLong.of(audio ? 140_000 : 70_000);
            case V2_5_TURBO -> audio ? OptionalLong.empty() : OptionalLong.of(70_000);
        };
    }
}
