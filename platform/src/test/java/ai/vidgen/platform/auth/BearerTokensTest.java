package ai.vidgen.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BearerTokensTest {

    @Test
    void readsOnlyBearerTokens() {
        assertThat(BearerTokens.presented("Bearer s3cret")).contains("s3cret");
        assertThat(BearerTokens.presented("bearer  s3cret ")).contains("s3cret");
        assertThat(BearerTokens.presented("Basic dXNlcjpwYXNz")).isEmpty();
        assertThat(BearerTokens.presented("Bearer ")).isEmpty();
        assertThat(BearerTokens.presented(null)).isEmpty();
    }

    @Test
    void anyOfSeveralTokensIsAcceptedSoTheyCanRotate() {
        List<String> valid = List.of("old-token", "new-token");
        assertThat(BearerTokens.matchesAny("old-token", valid)).isTrue();
        assertThat(BearerTokens.matchesAny("new-token", valid)).isTrue();
        assertThat(BearerTokens.matchesAny("new-token-", valid)).isFalse();
        assertThat(BearerTokens.matchesAny("", List.of("", " "))).as("blank tokens never match").isFalse();
    }
}
