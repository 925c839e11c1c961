package ai.vidgen.request.client;

/** billing-service's estimate request: the price-deciding dimensions of a generation. */
public record EstimateRequest(String endpointId, int seconds, boolean audio, boolean voiceControl) {
}
