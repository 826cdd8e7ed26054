package io.tocsin.cloud.api;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.Provider;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudProvider;
import io.tocsin.cloud.provider.Instance;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test-only provider adapters for the API tests ({@code spec.name=credentials-api}): they do not call a cloud, they
 * keep the credential they were handed (so a test sees that the secrets reached the adapter intact) and answer what
 * the credential's comment asks for: {@code fail:DENIED} (or another {@link CloudException.Kind}) throws, anything
 * else verifies ok. Ordered first, so they are used even where real adapters are on the class path.
 */
@Factory
@Requires(property = "spec.name", value = RecordingProviders.SPEC)
public class RecordingProviders {

    public static final String SPEC = "credentials-api";

    /** A second AWS adapter, as a real one would be: the ordered ones above must win over it. */
    @Singleton @Named("test-aws-unordered")
    Recording awsUnordered() {
        return new Recording(Provider.AWS);
    }

    @Singleton @Named("test-aws") @Order(Ordered.HIGHEST_PRECEDENCE)
    Recording aws() {
        return new Recording(Provider.AWS);
    }

    @Singleton @Named("test-gcp") @Order(Ordered.HIGHEST_PRECEDENCE)
    Recording gcp() {
        return new Recording(Provider.GCP);
    }

    @Singleton @Named("test-azure") @Order(Ordered.HIGHEST_PRECEDENCE)
    Recording azure() {
        return new Recording(Provider.AZURE);
    }

    /** One provider's recording adapter. */
    public static final class Recording implements CloudProvider {

        /** The credential each verify got, by credential id. */
        public final Map<String, CloudCredential> verified = new ConcurrentHashMap<>();
        /** The ids of deleted credentials this adapter was told to forget. */
        public final java.util.Set<String> forgotten = ConcurrentHashMap.newKeySet();
        private final Provider provider;

        public Recording(Provider provider) {
            this.provider = provider;
        }

        @Override
        public Provider provider() {
            return provider;
        }

        @Override
        public void forget(String credentialId) {
            forgotten.add(credentialId);
        }

        @Override
        public Verification verify(CloudCredential credential) {
            verified.put(credential.id(), credential);
            if (credential.comment().startsWith("fail:")) {
                throw new CloudException(CloudException.Kind.valueOf(credential.comment().substring(5)),
                        "verify: the test provider refuses (" + credential.comment() + ")", null);
            }
            return new Verification(true, "test:" + credential.name(), "accepted by the test provider");
        }

        @Override
        public List<Instance> instances(CloudCredential credential, String location) {
            throw new UnsupportedOperationException("not used by the credentials tests");
        }

        @Override
        public void stop(CloudCredential credential, String location, String instanceId) {
            throw new UnsupportedOperationException("not used by the credentials tests");
        }

        @Override
        public void reboot(CloudCredential credential, String location, String instanceId) {
            throw new UnsupportedOperationException("not used by the credentials tests");
        }

        @Override
        public void terminate(CloudCredential credential, String location, String instanceId) {
            throw new UnsupportedOperationException("not used by the credentials tests");
        }
    }
}
