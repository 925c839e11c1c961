package ai.vidgen.faladapter.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ConnectTimeoutException;
import jakarta.ws.rs.ProcessingException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FalClientRulesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void onlyConnectionFailuresMeanNeverSent() {
        assertTrue(FalClient.neverSent(new ProcessingException(new ConnectException("Connection refused"))));
        assertTrue(FalClient.neverSent(new ProcessingException(new ConnectTimeoutException("connect timed out"))));
        assertTrue(FalClient.neverSent(new UnknownHostException("queue.fal.run")));
        assertFalse(FalClient.neverSent(new TimeoutException("no answer")));
        assertFalse(FalClient.neverSent(new ProcessingException("Connection was closed")));
    }

    @Test
    void resultErrorsThatAreTheRequestsOwn() throws Exception {
        assertTrue(FalClient.isFalErrorAnswer(422, null, null, null));
        assertTrue(FalClient.isFalErrorAnswer(500, MAPPER.readTree("{\"detail\":\"x\",\"error_type\":\"internal_error\"}"),
                null, null));
        assertTrue(FalClient.isFalErrorAnswer(504, null, "request_timeout", null));
        assertTrue(FalClient.isFalErrorAnswer(499, MAPPER.readTree("{\"detail\":\"Request cancelled by the client.\"}"),
                null, "req-1"));
    }

    @Test
    void resultErrorsThatAreFetchTrouble() throws Exception {
        assertFalse(FalClient.isFalErrorAnswer(502, null, null, null), "an ingress error without fal's labels");
        assertFalse(FalClient.isFalErrorAnswer(500, MAPPER.readTree("{\"detail\":\"upstream\"}"), null, null));
        assertFalse(FalClient.isFalErrorAnswer(404, MAPPER.readTree("{\"detail\":[]}"), null, null));
        assertFalse(FalClient.isFalErrorAnswer(429, null, "concurrent_requests_limit", null));
        assertFalse(FalClient.isFalErrorAnswer(400,
                MAPPER.readTree("{\"detail\":\"Request is still in progress\"}"), null, "req-1"));
    }
}
