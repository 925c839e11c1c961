package ai.vidgen.request.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** billing-service's estimate: integer micro-dollars from a versioned price book. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EstimateResponse(long amountMicros, long rateMicrosPerSecond, int seconds, String priceBookVersion) {
}
