package io.tocsin.cloud.credentials;

import io.micronaut.http.HttpStatus;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudProvider;
import io.tocsin.common.http.ProblemException;
import io.tocsin.common.security.SecretBox;
import io.tocsin.schema.wire.FieldError;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the credentials API does, apart from HTTP: reading and validating bodies, keeping stored secrets on a
 * replace, unique names, storing, and asking the provider whether a credential works. Other cloud features (instances,
 * backups, the watcher) look credentials and provider adapters up here too.
 *
 * <p>Error contract ({@link ProblemException} unless said otherwise): invalid input → 400
 * ({@code InvalidRecordException}) naming every field ({@code credentials.private_key}, {@code defaultRegion});
 * body over 64 KiB → 413; unknown id → 404; a name already used → 409; secret fields but no
 * {@code tocsin.secrets.key} → 422; no adapter for the credential's provider in this build → 501; Kafka did not
 * take the change → 503. A provider's own refusal is a {@link CloudException}, answered by the API's handler.
 * No message carries a secret.
 */
@Singleton
public class CredentialService {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialService.class);

    private final CredentialStore store;
    private final SecretBox secrets;
    private final List<CloudProvider> providers;

    public CredentialService(CredentialStore store, SecretBox secrets, List<CloudProvider> providers) {
        this.store = store;
        this.secrets = secrets;
        this.providers = List.copyOf(providers);
        if (store != null) {
            // A deletion made through any instance: what the adapters keep of it goes here too.
            store.onDeleted(this::forget);
        }
    }

    /** Every credential, by name. */
    public List<CloudCredential> list() {
        return store.all();
    }

    /** The credential {@code id}, secrets in clear text (for provider calls; never for an answer). */
    public CloudCredential get(String id) {
        return store.find(id).orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND,
                "No cloud credential has id '" + id + "'; GET /api/v1/cloud/credentials lists them"));
    }

    public CloudCredential create(byte[] body) {
        List<FieldError> errors = new ArrayList<>();
        CredentialRequest request = CredentialRequest.read(body, errors);
        if (request.id() != null) {
            errors.add(new FieldError("id", "is given by Tocsin; leave it out when creating a credential"));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        request.credentials().forEach((field, value) -> {
            if (CredentialFields.isSecret(field) && CredentialFields.REDACTED.equals(value)) {
                errors.add(new FieldError("credentials." + field, "is the redaction placeholder, not a value: send the secret itself"));
            }
            fields.put(field, value);
        });
        CloudCredential credential = checked(UUID.randomUUID().toString(), request, fields, null, errors);
        store(credential);
        return credential;
    }

    /**
     * Replaces a credential. A secret field sent as {@link CredentialFields#REDACTED} or left out keeps its stored
     * value, so a client may send back what {@code GET} gave it; an empty string removes an optional field.
     */
    public CloudCredential update(String id, byte[] body) {
        CloudCredential existing = get(id);
        List<FieldError> errors = new ArrayList<>();
        CredentialRequest request = CredentialRequest.read(body, errors);
        if (request.id() != null && !request.id().equals(id)) {
            errors.add(new FieldError("id", "must be the id in the path, or be left out"));
        }
        if (request.provider() != null && request.provider() != existing.provider()) {
            errors.add(new FieldError("provider", "cannot change from " + existing.provider().apiName()
                    + "; create a new credential for " + request.provider().apiName() + " instead"));
            CredentialRequest.failOn(errors); // the stored secrets belong to the other provider's fields
        }
        Map<String, String> fields = new LinkedHashMap<>();
        request.credentials().forEach((field, value) -> {
            if (CredentialFields.isSecret(field) && CredentialFields.REDACTED.equals(value)) {
                String stored = existing.fields().get(field);
                if (stored == null) {
                    errors.add(new FieldError("credentials." + field, "is the redaction placeholder but no value is stored for it; send the value"));
                }
                fields.put(field, stored == null ? value : stored);
            } else {
                fields.put(field, value);
            }
        });
        existing.fields().forEach((field, value) -> {
            if (CredentialFields.isSecret(field) && !request.credentials().containsKey(field)) {
                fields.put(field, value);
            }
        });
        CloudCredential credential = checked(id, request, fields, existing, errors);
        store(credential);
        return credential;
    }

    public void delete(String id) {
        get(id);
        store.delete(id);
        forget(id); // at once here; again, harmlessly, when this instance reads its own tombstone
    }

    private void forget(String id) {
        for (CloudProvider adapter : providers) {
            try {
                adapter.forget(id);
            } catch (RuntimeException e) { // a contract breach must not stop the store's reader or the others
                LOG.warn("Cloud provider adapter {} failed to forget deleted credential {}: {}", adapter.provider().apiName(), id, e.toString());
            }
        }
    }

    /** Asks the credential's provider whether it works (one call to the provider, its SDK's retries only). */
    public CloudProvider.Verification verify(String id) {
        CloudCredential credential = get(id);
        return provider(credential.provider()).verify(credential);
    }

    /**
     * The adapter of {@code provider}; 501 when this build has none. Where several serve one provider (a deployment's
     * own adapter for a private cloud, a test's), the first in bean order wins: give yours an {@code @Order}.
     */
    public CloudProvider provider(Provider provider) {
        return providers.stream().filter(adapter -> adapter.provider() == provider).findFirst()
                .orElseThrow(() -> new ProblemException(HttpStatus.NOT_IMPLEMENTED, "This cloud service has no adapter for the provider '"
                        + provider.apiName() + "' yet; its credentials can be stored but not used"));
    }

    /** The credential the request describes, or every problem at once (the field checks only once its shape is right). */
    private CloudCredential checked(String id, CredentialRequest request, Map<String, String> fields, CloudCredential existing,
                                    List<FieldError> errors) {
        fields.values().removeIf(String::isEmpty);
        Set<String> named = errors.stream().map(FieldError::field).collect(Collectors.toSet());
        if (request.provider() != null && !named.contains("credentials")) { // no object, no field to name
            CredentialValidator.validate(request.provider(), request.defaultRegion(), fields).stream()
                    .filter(error -> !named.contains(error.field())).forEach(errors::add);
        }
        CredentialRequest.failOn(errors);
        Optional<CloudCredential> sameName = store.all().stream()
                .filter(other -> other.name().equals(request.name()) && !other.id().equals(id)).findFirst();
        if (sameName.isPresent()) {
            throw new ProblemException(HttpStatus.CONFLICT, "The name '" + request.name() + "' is already used by cloud credential "
                    + sameName.get().id() + "; names must be unique", List.of(new FieldError("name", "is already used")));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS); // as stored (timestamp-millis)
        return new CloudCredential(id, request.provider(), request.name(), request.comment(), request.defaultRegion(), fields,
                existing == null ? now : existing.createdAt(), now);
    }

    private void store(CloudCredential credential) {
        List<FieldError> secretFields = credential.fields().keySet().stream().filter(CredentialFields::isSecret).sorted()
                .map(field -> new FieldError("credentials." + field, "is secret and cannot be stored without tocsin.secrets.key"))
                .toList();
        if (!secretFields.isEmpty() && !secrets.hasKey()) {
            throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "This cloud service has no secrets key, so it cannot store "
                    + "the secret fields " + secretFields.stream().map(FieldError::field).toList() + ": set tocsin.secrets.key "
                    + "(TOCSIN_SECRETS_KEY) to 32 random bytes in base64 (openssl rand -base64 32) on every cloud service", secretFields);
        }
        store.save(credential);
    }
}
