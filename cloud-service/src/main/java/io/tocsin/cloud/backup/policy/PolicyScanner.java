package io.tocsin.cloud.backup.policy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.tocsin.cloud.backup.BackupService;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.CredentialService;
import io.tocsin.common.kafka.KafkaClients;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the upload policies ({@link BackupPolicy}): one virtual thread, one scan at a time, each policy
 * {@code interval} after its previous scan ended. A scan ({@link DirectoryScan}) lists the policy's matching
 * files; each that has settled and is not in the {@link UploadMemory} is uploaded, one at a time, oldest first,
 * through {@link BackupService} with source {@code policy}, so the size limit, the {@code BackupCompleted} event and
 * the {@code CloudBackupUploadFailed} alarm (raised on failure, cleared by the next success) are the API's. A failed
 * upload is tried again at a later scan, {@code interval × 2^(failures)} after the failure, at most an hour.
 *
 * <p>Error contract: a policy whose settings are wrong (a missing directory, no credential, a bad bucket or glob)
 * stops the start with a {@link ConfigurationException} naming each key. Afterwards nothing stops the loop: an
 * unknown credential, an unreadable file or key, Kafka or the provider failing are logged (once per streak or per
 * file), counted in {@code tocsin.cloud.backups.policy.uploads{policy,outcome=failed}} when an upload failed, and
 * tried again. Stopping the service lets an upload under way finish (for up to 10 s) rather than fail it.
 */
@Context
public class PolicyScanner {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyScanner.class);
    static final Duration MAX_BACKOFF = Duration.ofHours(1);
    static final Duration REBUILD_TIMEOUT = Duration.ofSeconds(30);

    /** A failed upload of a file as it was: tried again from {@code retryAt} (nanoTime), or at once when it changed. */
    private record Failure(int failures, long retryAt, long size, long modified) {
    }

    private final List<BackupPolicy> policies;
    private final BackupService backups;
    private final CredentialService credentials;
    private final KafkaClients clients;
    private final MeterRegistry meters;
    private final UploadMemory memory = new UploadMemory();
    private final Map<String, DirectoryScan> scans = new HashMap<>();
    private final Map<String, Failure> failures = new HashMap<>();
    private final Set<String> warned = new HashSet<>();
    private final Object lock = new Object();
    private volatile boolean running;
    private boolean uploading;
    private Thread thread;

    public PolicyScanner(List<BackupPolicy> policies, BackupService backups, CredentialService credentials, KafkaClients clients,
                         MeterRegistry meters) {
        this.policies = policies.stream().filter(BackupPolicy::enabled).toList();
        this.backups = backups;
        this.credentials = credentials;
        this.clients = clients;
        this.meters = meters;
    }

    @PostConstruct
    void start() {
        List<String> problems = policies.stream().flatMap(policy -> policy.problems().stream()).toList();
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Backup upload policies are misconfigured: " + String.join("; ", problems));
        }
        if (policies.isEmpty()) {
            return;
        }
        policies.forEach(policy -> scans.put(policy.name(), new DirectoryScan(policy, warned)));
        LOG.info("Backup upload policies: {}", policies.stream().map(p -> p.name() + " (" + p.directory() + " → " + p.bucket()
                + "/" + p.prefix() + ")").toList());
        running = true;
        // A platform thread, like the instance watcher's: a long-lived scanner must not wait for a free carrier thread.
        thread = Thread.ofPlatform().daemon().name("tocsin-backup-policies").start(this::loop);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        Thread current = thread;
        synchronized (lock) {
            running = false;
            if (current != null && !uploading) {
                current.interrupt();
            }
        }
        if (current != null) {
            current.join(10_000);
        }
    }

    private void loop() {
        while (running && !rebuilt()) {
            if (!pause(Duration.ofSeconds(5))) {
                return;
            }
        }
        Map<String, Long> due = new HashMap<>();
        while (running) {
            long now = System.nanoTime();
            for (BackupPolicy policy : policies) {
                if (running && due.getOrDefault(policy.name(), now) - now <= 0) {
                    try {
                        scan(policy);
                    } catch (RuntimeException e) { // a bug must not end the uploads
                        LOG.error("Backup policy {}: scan failed unexpectedly", policy.name(), e);
                    }
                    due.put(policy.name(), System.nanoTime() + policy.interval().toNanos());
                }
            }
            long next = due.values().stream().mapToLong(at -> at - System.nanoTime()).min().orElse(0);
            if (!running || next > 0 && !pause(Duration.ofNanos(next))) { // stopped during an upload: no sleep
                return;
            }
        }
    }

    private boolean rebuilt() {
        try {
            memory.rebuild(clients, REBUILD_TIMEOUT);
            LOG.info("Backup upload policies: {} objects already uploaded by a policy (read from {})", memory.size(),
                    clients.topics().backups().name());
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Backup upload policies: could not read {} ({}); no upload starts before it was read, trying again in 5 s",
                    clients.topics().backups().name(), e.toString());
            return false;
        }
    }

    /** One scan of {@code policy} (package-private: a test may drive it). */
    void scan(BackupPolicy policy) {
        Optional<CloudCredential> credential = resolve(policy);
        if (credential.isEmpty()) {
            return;
        }
        String credentialId = credential.get().id();
        for (DirectoryScan.Candidate file : scans.get(policy.name()).settled(System.nanoTime(), System.currentTimeMillis())) {
            String object = UploadMemory.object(credentialId, policy.bucket(), file.key());
            if (!running || memory.has(object, file.size(), file.modified())) {
                continue;
            }
            Failure failed = failures.get(object);
            if (failed != null && failed.size() == file.size() && failed.modified() == file.modified()
                    && failed.retryAt() - System.nanoTime() > 0) {
                continue;
            }
            if (!invalidKey(policy, credentialId, file)) {
                upload(policy, credentialId, object, file, failed);
            }
        }
    }

    private void upload(BackupPolicy policy, String credentialId, String object, DirectoryScan.Candidate file, Failure failed) {
        synchronized (lock) {
            if (!running) {
                return;
            }
            uploading = true;
        }
        // FileInputStream, not Files.newInputStream: its reads are not interruptible, so stopping never breaks an upload off.
        try (InputStream data = new FileInputStream(file.path().toFile())) {
            backups.upload(credentialId, policy.bucket(), file.key(), data, "application/octet-stream", UploadMemory.SOURCE);
            memory.remember(object, file.size(), file.modified());
            failures.remove(object);
            count(policy, "succeeded");
            LOG.info("Backup policy {}: uploaded {} ({} bytes) to {}/{}", policy.name(), file.path(), file.size(), policy.bucket(), file.key());
        } catch (IOException e) {
            if (warned.add("open:" + file.path())) {
                LOG.warn("Backup policy {}: cannot read {} ({}); skipped until it can be read", policy.name(), file.path(), e.toString());
            }
        } catch (RuntimeException e) {
            int count = failed == null ? 1 : failed.failures() + 1;
            Duration backoff = backoff(policy.interval(), count);
            failures.put(object, new Failure(count, System.nanoTime() + backoff.toNanos(), file.size(), file.modified()));
            count(policy, "failed");
            LOG.warn("Backup policy {}: upload of {} to {}/{} failed ({} in a row), trying again in {}: {}", policy.name(),
                    file.path(), policy.bucket(), file.key(), count, backoff, e.getMessage());
        } finally {
            synchronized (lock) {
                uploading = false;
            }
        }
    }

    /** {@code interval × 2^failures}, at most {@link #MAX_BACKOFF}. */
    static Duration backoff(Duration interval, int failures) {
        Duration wait = interval;
        for (int i = 0; i < failures && wait.compareTo(MAX_BACKOFF) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    private boolean invalidKey(BackupPolicy policy, String credentialId, DirectoryScan.Candidate file) {
        try {
            BackupService.checkUpload(credentialId, policy.bucket(), file.key(), null, true);
            return false;
        } catch (RuntimeException e) {
            if (warned.add("key:" + file.path())) {
                LOG.warn("Backup policy {}: {} cannot be uploaded under the key '{}': {}", policy.name(), file.path(), file.key(), e.getMessage());
            }
            return true;
        }
    }

    private Optional<CloudCredential> resolve(BackupPolicy policy) {
        String streak = "credential:" + policy.name();
        Optional<CloudCredential> found;
        try {
            List<CloudCredential> all = credentials.list();
            found = all.stream().filter(c -> c.id().equals(policy.credential())).findFirst()
                    .or(() -> all.stream().filter(c -> policy.credential().equals(c.name())).findFirst());
        } catch (RuntimeException e) {
            found = Optional.empty();
        }
        if (found.isEmpty() && warned.add(streak)) {
            LOG.warn("Backup policy {}: no stored cloud credential has the id or name '{}' (tocsin.cloud.backups.policies.{}.credential); "
                    + "nothing is uploaded until there is one", policy.name(), policy.credential(), policy.name());
        } else if (found.isPresent() && warned.remove(streak)) {
            LOG.info("Backup policy {}: credential '{}' found, uploading", policy.name(), policy.credential());
        }
        return found;
    }

    private void count(BackupPolicy policy, String outcome) {
        Counter.builder("tocsin.cloud.backups.policy.uploads").tag("policy", policy.name()).tag("outcome", outcome)
                .description("Uploads started by a backup policy, by outcome").register(meters).increment();
    }

    private boolean pause(Duration duration) {
        try {
            Thread.sleep(duration);
            return running;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
