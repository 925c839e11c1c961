package ai.vidgen.falemulator.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DisplayUrlTest {

    @Test
    void signaturesAndUserInfoAreRedactedAndTheRestIsKept() {
        assertEquals("http://127.0.0.1:8083/v1/videos/v-1?tenant=t-1&expires=42&kid=k1&sig=REDACTED",
                DisplayUrl.of("http://127.0.0.1:8083/v1/videos/v-1?tenant=t-1&expires=42&kid=k1&sig=c2VjcmV0"));
        assertEquals("https://bucket.s3.amazonaws.com/a.mp4?X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Expires=60",
                DisplayUrl.of("https://user:pw@bucket.s3.amazonaws.com/a.mp4?X-Amz-Credential=AK&X-Amz-Signature=ff&X-Amz-Expires=60"));
        assertEquals("https://cdn.example.com/a.png", DisplayUrl.of("https://cdn.example.com/a.png"));
    }

    @Test
    void dataUrisShowOnlyTheirMediaType() {
        String shown = DisplayUrl.of("data:image/png;base64," + "A".repeat(10_000));
        assertTrue(shown.startsWith("data:image/png;base64,…"), shown);
        assertTrue(shown.length() < 100, shown);
    }
}
