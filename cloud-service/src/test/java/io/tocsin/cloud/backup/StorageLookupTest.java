package io.tocsin.cloud.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.http.HttpStatus;
import io.tocsin.cloud.credentials.Provider;
import io.tocsin.cloud.provider.BackupStorage;
import io.tocsin.common.http.ProblemException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Adapters are found by provider among the {@code BackupStorage} beans; a provider without one is 501. */
class StorageLookupTest {

    @Test
    void aProviderWithoutAStorageAdapterIs501() {
        BackupStorage gcs = new io.tocsin.cloud.provider.gcp.GcsBackupStorage(io.tocsin.cloud.provider.gcp.GcpSettings.defaults(),
                new io.tocsin.cloud.provider.gcp.GcpCredentials(io.tocsin.cloud.provider.gcp.GcpSettings.defaults()));
        BackupService service = new BackupService(null, List.of(gcs), null, new BackupSettings(1024));

        assertThat((Object) service.storage(Provider.GCP)).isSameAs(gcs);
        assertThatThrownBy(() -> service.storage(Provider.AZURE)).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.status().getCode()).isEqualTo(HttpStatus.NOT_IMPLEMENTED.getCode()));
    }
}
