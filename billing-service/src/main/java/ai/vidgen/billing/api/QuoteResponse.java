package ai.vidgen.billing.api;

import ai.vidgen.billing.domain.Quote;
import ai.vidgen.platform.money.Money;

/** A price in integer micro-dollars, with its dimensions and a rendering for people. */
public record QuoteResponse(
        String generationId,
        long amountMicros,
        String amount,
        long rateMicrosPerSecond,
        int seconds,
        String modelFamily,
        String tier,
        boolean audio,
        boolean voiceControl,
        String priceBookVersion) {

    public static QuoteResponse of(String generationId, Quote q) {
        return new QuoteResponse(generationId, q.amountMicros(), Money.format(q.amountMicros()),
                q.rateMicrosPerSecond(), q.seconds(), q.modelFamily(), q.tier(), q.audio(), q.voiceControl(),
                q.priceBookVersion());
    }
}
