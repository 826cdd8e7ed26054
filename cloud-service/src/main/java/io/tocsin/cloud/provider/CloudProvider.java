package io.tocsin.cloud.provider;

import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.Provider;
import java.util.List;

/**
 * One provider's instance operations through its official SDK, with every endpoint overridable (private clouds,
 * regions, tests). One implementation per provider ({@code provider/aws}, {@code provider/gcp},
 * {@code provider/azure}); the API and the instance watcher find them by {@link #provider()}.
 *
 * <p>Error contract: every method either succeeds or throws {@link CloudException} with its {@link CloudException.Kind};
 * SDK exceptions never escape. Nothing is retried here: the SDKs' own retries (bounded) are the only ones, so an API
 * call answers within the configured timeout. {@code location} is the region (AWS), zone (Google Cloud) or resource
 * group location (Azure); {@code null} means the credential's default region.
 */
public interface CloudProvider {

    Provider provider();

    /** Asks the provider whether the credential works (AWS STS GetCallerIdentity, a token and a project read, ...). */
    Verification verify(CloudCredential credential);

    /**
     * The credential {@code credentialId} was deleted: drop whatever this adapter keeps of it (clients, opened keys,
     * cached tokens), so that a deleted secret does not stay in memory. Must not throw. A replaced credential needs
     * nothing: adapters key what they keep by the credential's content or version.
     */
    default void forget(String credentialId) {
    }

    List<Instance> instances(CloudCredential credential, String location);

    void stop(CloudCredential credential, String location, String instanceId);

    void reboot(CloudCredential credential, String location, String instanceId);

    void terminate(CloudCredential credential, String location, String instanceId);

    /**
     * What {@link #verify} found.
     *
     * @param ok       the provider accepted the credential
     * @param identity who it is (ARN, service account e-mail, application id), empty when not ok
     * @param detail   what the provider said, for a person
     */
    record Verification(boolean ok, String identity, String detail) {
    }
}
