package ai.vidgen.dispatcher.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** An RFC 9457 problem from billing, with its machine-readable {@code reason}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BillingProblem(String type, String title, Integer status, String detail, String reason) {
}
