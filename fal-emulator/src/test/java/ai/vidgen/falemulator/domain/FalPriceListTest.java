package ai.vidgen.falemulator.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vidgen.events.catalog.KlingEndpoint;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** fal's per-second prices from the seed (000): "5s V3 Pro with audio: $1.68", "5s O3 Standard with audio: $1.12". */
class FalPriceListTest {

    @Test
    void theSeedsWorkedExamplesComeOut() {
        assertEquals(1_680_000, 5 * FalPriceList.microsPerSecond(KlingEndpoint.V3_PRO_T2V, true, false).getAsLong());
        assertEquals(1_120_000, 5 * FalPriceList.microsPerSecond(KlingEndpoint.O3_STANDARD_T2V, true, false).getAsLong());
        assertEquals(5_040_000, 15 * FalPriceList.microsPerSecond(KlingEndpoint.V3_PRO_T2V, true, false).getAsLong());
    }

    @Test
    void tierAudioAndVoiceControlDecideTheRate() {
        assertEquals(OptionalLong.of(168_000), FalPriceList.microsPerSecond(KlingEndpoint.V3_STANDARD_MOTION_CONTROL, false, false));
        assertEquals(OptionalLong.of(392_000), FalPriceList.microsPerSecond(KlingEndpoint.O3_PRO_V2V_EDIT, true, true));
        assertEquals(OptionalLong.of(140_000), FalPriceList.microsPerSecond(KlingEndpoint.V2_6_PRO_T2V, true, false));
        assertEquals(OptionalLong.of(70_000), FalPriceList.microsPerSecond(KlingEndpoint.V2_5_TURBO_PRO_T2V, false, false));
        assertEquals(OptionalLong.empty(), FalPriceList.microsPerSecond(KlingEndpoint.V2_5_TURBO_PRO_T2V, true, false));
        assertEquals(OptionalLong.empty(), FalPriceList.microsPerSecond(KlingEndpoint.O3_TEXT_TO_IMAGE, false, false));
    }
}
