package io.tocsin.dispatcher.integration;

import io.micronaut.http.HttpStatus;
import io.tocsin.common.http.ProblemException;
import io.tocsin.common.security.SecretBox;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.Severity;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.InvalidRecordException;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What the integrations API does, apart from HTTP: validation against the channel, the rules of ClusterControl's
 * integration list (unique names; declared integrations read-only), secret handling on update, storing, backfill
 * and test notifications.
 *
 * <p>Error contract: invalid input → {@link InvalidRecordException} (400, fields named {@code config.url});
 * unknown id → 404, declared integration or duplicate name → 409, secrets without a key → 422
 * ({@link ProblemException}).
 */
@Singleton
public class IntegrationService {

    private final IntegrationRegistry registry;
    private final IntegrationStore store;
    private final Backfiller backfiller;
    private final SecretBox secrets;

    public IntegrationService(IntegrationRegistry registry, IntegrationStore store, Backfiller backfiller, SecretBox secrets) {
        this.registry = registry;
        this.store = store;
        this.backfiller = backfiller;
        this.secrets = secrets;
    }

    public List<IntegrationConfig> list() {
        return registry.all();
    }

    public IntegrationConfig get(String id) {
        return registry.find(id).orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND,
                "No integration has id '" + id + "'; GET /api/v1/integrations lists them"));
    }

    public IntegrationConfig create(IntegrationRequest request) {
        IntegrationConfig integration = toConfig(UUID.randomUUID().toString(), request, request.config(),
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)); // as stored (timestamp-millis)
        check(integration);
        store(integration);
        if (integration.backfill()) {
            backfiller.backfill(integration);
        }
        return integration;
    }

    public IntegrationConfig update(String id, IntegrationRequest request) {
        IntegrationConfig existing = writable(id);
        Map<String, String> settings = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        request.config().forEach((name, value) -> {
            if (IntegrationView.REDACTED.equals(value)) {
                String stored = existing.service().equals(request.service()) ? existing.settings().get(name) : null;
                if (stored == null) {
                    errors.add(new FieldError("config." + name, "is the redaction placeholder but no value is stored for it; send the value"));
                }
                settings.put(name, stored);
            } else {
                settings.put(name, value);
            }
        });
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        IntegrationConfig integration = toConfig(id, request, settings, existing.createdAt());
        check(integration);
        store(integration);
        return integration;
    }

    public void delete(String id) {
        writable(id);
        store.delete(id);
    }

    /**
     * One clearly marked test notification through the integration's channel; a single attempt, no retries. For a
     * service that keeps incidents open ({@link Notifier#resolvesTestEvents()}), a delivered test is then resolved
     * by its ENDED event, so the test leaves no open incident behind; the result is the resolve's.
     */
    public TestResult test(IntegrationConfig integration) {
        Notifier notifier = registry.notifierFor(integration);
        AlarmEvent created = testEvent(integration);
        DeliveryResult result = Notifier.attempt(notifier, created, integration);
        if (result instanceof DeliveryResult.Delivered && notifier.resolvesTestEvents()) {
            result = Notifier.attempt(notifier, endedTestEvent(created), integration);
        }
        return TestResult.of(result);
    }

    /** Checks an unsaved integration (the body of {@code POST /test}). */
    public IntegrationConfig unsaved(IntegrationRequest request) {
        IntegrationConfig integration = toConfig("test-" + UUID.randomUUID(), request, request.config(), Instant.now());
        List<FieldError> errors = registry.validate(integration);
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        return integration;
    }

    public Notifier notifierOf(IntegrationConfig integration) {
        return registry.notifier(integration.service()).orElse(null);
    }

    /** A WARNING CREATED event that says it is a test, with a unique alarm key so receivers do not merge it. */
    static AlarmEvent testEvent(IntegrationConfig integration) {
        Instant now = Instant.now();
        String alarmId = "test-" + now.toEpochMilli();
        String alarmKey = "tocsin:" + alarmId;
        return AlarmEvent.newBuilder()
                .setEventId(alarmKey + "/" + now.toEpochMilli() + "/1")
                .setAlarmKey(alarmKey).setSource("tocsin").setAlarmId(alarmId)
                .setStatus(AlarmEventStatus.CREATED).setSeverity(Severity.WARNING)
                .setType("TocsinTestNotification").setComponent("Tocsin").setCategories(List.of())
                .setCluster("").setHostname("tocsin")
                .setTitle("Tocsin test notification")
                .setMessage("This is a test notification from Tocsin for the integration '" + integration.name()
                        + "'. No action is needed.")
                .setRecommendation("None: this only checks that the integration reaches you.")
                .setLabels(Map.of("tocsin.test", "true"))
                .setOpenedAt(now).setEventTime(now).setSequence(1)
                .build();
    }

    /** The ENDED of a test event: same alarm key, the next sequence. */
    static AlarmEvent endedTestEvent(AlarmEvent created) {
        Instant now = Instant.now();
        return AlarmEvent.newBuilder(created)
                .setEventId(created.getAlarmKey() + "/" + created.getOpenedAt().toEpochMilli() + "/2")
                .setStatus(AlarmEventStatus.ENDED).setEventTime(now).setSequence(2)
                .build();
    }

    private IntegrationConfig writable(String id) {
        IntegrationConfig existing = get(id);
        if (existing.declared()) {
            throw new ProblemException(HttpStatus.CONFLICT, "Integration '" + existing.name() + "' is declared in configuration ("
                    + IntegrationConfig.PREFIX + existing.name() + ".*); change it there, not through the API");
        }
        return existing;
    }

    private void check(IntegrationConfig integration) {
        List<FieldError> errors = registry.validate(integration);
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        Optional<IntegrationConfig> sameName = registry.all().stream()
                .filter(other -> other.name().equals(integration.name()) && !other.id().equals(integration.id())).findFirst();
        if (sameName.isPresent()) {
            throw new ProblemException(HttpStatus.CONFLICT, "The name '" + integration.name() + "' is already used by integration "
                    + sameName.get().id() + "; names must be unique", List.of(new FieldError("name", "is already used")));
        }
    }

    private void store(IntegrationConfig integration) {
        Notifier notifier = registry.notifierFor(integration);
        List<FieldError> secretFields = integration.settings().entrySet().stream()
                .filter(setting -> notifier.isSecret(setting.getKey()) && !setting.getValue().isEmpty())
                .map(setting -> new FieldError("config." + setting.getKey(), "is secret and cannot be stored without tocsin.secrets.key"))
                .toList();
        if (!secretFields.isEmpty() && !secrets.hasKey()) {
            throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "This dispatcher has no secrets key, so it cannot store the secret "
                    + "settings " + secretFields.stream().map(FieldError::field).toList() + ": set tocsin.secrets.key (TOCSIN_SECRETS_KEY) "
                    + "to 32 random bytes in base64 (openssl rand -base64 32) on every dispatcher", secretFields);
        }
        store.save(integration);
    }

    private static IntegrationConfig toConfig(String id, IntegrationRequest request, Map<String, String> settings, Instant createdAt) {
        return new IntegrationConfig(id, request.name(), request.service(), settings, request.clusters(), request.events(),
                request.enabled() == null || request.enabled(), request.sendEnded() == null || request.sendEnded(),
                request.backfill() != null && request.backfill(), createdAt, false);
    }
}
