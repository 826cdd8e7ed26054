package io.tocsin.cloud.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micronaut.http.HttpStatus;
import io.tocsin.cloud.api.RecordingProviders;
import io.tocsin.common.http.ProblemException;
import io.tocsin.common.security.SecretBox;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The adapter of a credential's provider is found by {@code provider()}; a provider this build has no adapter for
 * is a 501 naming it (the provider adapters are added one by one, and a stored credential must still be listable).
 */
class ProviderLookupTest {

    final RecordingProviders.Recording aws = new RecordingProviders.Recording(Provider.AWS);
    final RecordingProviders.Recording gcp = new RecordingProviders.Recording(Provider.GCP);
    final CredentialService service = new CredentialService(null, new SecretBox(null), List.of(gcp, aws));

    @Test
    void eachProviderHasItsAdapter() {
        assertThat(service.provider(Provider.AWS)).isSameAs(aws);
        assertThat(service.provider(Provider.GCP)).isSameAs(gcp);
    }

    @Test
    void aProviderWithoutAdapterIsNotImplemented() {
        ProblemException missing = catchThrowableOfType(ProblemException.class, () -> service.provider(Provider.AZURE));
        assertThat(missing.status().getCode()).isEqualTo(HttpStatus.NOT_IMPLEMENTED.getCode());
        assertThat(missing.getMessage()).contains("'azure'");
    }
}
