package ai.vidgen.faladapter.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class FalErrorClassifierTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    @Test
    void validationErrorsAreNotRetryable() throws Exception {
        String body = """
                {"detail":[{"loc":["body","image_url"],"msg":"field required","type":"value_error.missing"},
                           {"loc":["body","root"],"msg":"Either 'prompt' or 'multi_prompt' must be provided.",
                            "type":"value_error"}]}""";
        FalError error = FalErrorClassifier.fromHttp(422, json(body), body, null, "true");
        assertEquals("value_error.missing", error.errorType());
        assertEquals("body.image_url: field required; body.root: Either 'prompt' or 'multi_prompt' must be provided.",
                error.message());
        assertFalse(error.retryable(), "422 is never retryable, whatever the header says");
        assertEquals(422, error.httpStatus());
    }

    @Test
    void contentPolicyViolationWinsAndIsNotRetryable() throws Exception {
        String body = """
                {"detail":[{"loc":["body","prompt"],"msg":"too long","type":"value_error"},
                           {"loc":["body","prompt"],"msg":"flagged by a content checker.",
                            "type":"content_policy_violation"}]}""";
        FalError error = FalErrorClassifier.fromHttp(422, json(body), body, null, null);
        assertEquals("content_policy_violation", error.errorType());
        assertFalse(error.retryable());
    }

    @Test
    void ourOwnStartTimeoutIsADeadlineNotRetried() {
        assertTrue(FalErrorClassifier.isUserStartTimeout(504, "user"));
        assertTrue(FalErrorClassifier.isUserStartTimeout(504, " User "));
        assertFalse(FalErrorClassifier.isUserStartTimeout(504, null), "fal's own 504 is retryable");
        assertFalse(FalErrorClassifier.isUserStartTimeout(500, "user"));
        FalError error = FalErrorClassifier.startTimeout(504);
        assertEquals("deadline_exceeded", error.errorType());
        assertFalse(error.retryable());
    }

    @Test
    void infrastructureErrorsAreRetryable() throws Exception {
        String body = "{\"detail\":\"Runner failed\",\"error_type\":\"runner_server_error\"}";
        FalError error = FalErrorClassifier.fromHttp(500, json(body), body, "runner_server_error", null);
        assertEquals("runner_server_error", error.errorType());
        assertEquals("Runner failed", error.message());
        assertTrue(error.retryable());

        FalError timeout = FalErrorClassifier.fromHttp(504, null, "", "request_timeout", null);
        assertEquals("request_timeout", timeout.errorType());
        assertTrue(timeout.retryable());
    }

    @Test
    void explicitRetryableHeaderDecidesOutsideTheFixedRules() throws Exception {
        String body = "{\"detail\":\"x\",\"error_type\":\"runner_server_error\"}";
        assertFalse(FalErrorClassifier.fromHttp(500, json(body), body, null, "false").retryable());
    }

    @Test
    void plainHttpErrors() {
        FalError unauthorized = FalErrorClassifier.fromHttp(401, null, "<html>nope</html>", null, null);
        assertEquals("http_401", unauthorized.errorType());
        assertFalse(unauthorized.retryable());
        assertTrue(unauthorized.message().contains("401"));
        assertTrue(FalErrorClassifier.fromHttp(429, null, null, null, null).retryable());
        assertTrue(FalErrorClassifier.fromHttp(503, null, null, null, null).retryable());
    }

    @Test
    void statusErrorsClassifyByType() {
        assertTrue(FalErrorClassifier.fromStatus("runner_disconnected", "gone").retryable());
        assertFalse(FalErrorClassifier.fromStatus("content_policy_violation", "flagged").retryable());
        FalError unknown = FalErrorClassifier.fromStatus(null, null);
        assertEquals("unknown_error", unknown.errorType());
        assertFalse(unknown.retryable());
    }

    @Test
    void longMessagesAreTruncated() {
        String body = "x".repeat(5000);
        assertTrue(FalErrorClassifier.fromHttp(400, null, body, null, null).message().length() < 2100);
    }
}
