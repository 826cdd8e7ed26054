package io.tocsin.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiTokensTest {

    @Test
    void adminGrantsEverythingAndIngestOnlyIngest() {
        ApiTokens tokens = new ApiTokens(new SecuritySettings("in-1", null, null, ApiTokens.sha256Hex("ad-1")));
        assertThat(tokens.grants("in-1", ApiTokens.Role.INGEST)).isTrue();
        assertThat(tokens.grants("in-1", ApiTokens.Role.ADMIN)).isFalse();
        assertThat(tokens.grants("ad-1", ApiTokens.Role.INGEST)).isTrue();
        assertThat(tokens.grants("ad-1", ApiTokens.Role.ADMIN)).isTrue();
        assertThat(tokens.grants("in-2", ApiTokens.Role.INGEST)).isFalse();
        assertThat(tokens.grants("", ApiTokens.Role.INGEST)).isFalse();
        assertThat(tokens.grants(null, ApiTokens.Role.INGEST)).isFalse();
    }

    @Test
    void withoutTokensNothingIsGranted() {
        ApiTokens tokens = new ApiTokens(new SecuritySettings(null, null, null, null));
        assertThat(tokens.grants("anything", ApiTokens.Role.INGEST)).isFalse();
    }

    @Test
    void generatedTokensAreRandomAndNamedByRole() {
        String a = ApiTokens.generate(ApiTokens.Role.INGEST);
        assertThat(a).startsWith("tocsin_ingest_").hasSize("tocsin_ingest_".length() + 43);
        assertThat(ApiTokens.generate(ApiTokens.Role.INGEST)).isNotEqualTo(a);
    }

    @Test
    void aMalformedDigestIsAConfigurationError() {
        assertThatThrownBy(() -> new ApiTokens(new SecuritySettings(null, "xyz", null, null)))
                .hasMessageContaining("tocsin.security.ingest-token-sha256 must be 64 hex digits");
    }
}
