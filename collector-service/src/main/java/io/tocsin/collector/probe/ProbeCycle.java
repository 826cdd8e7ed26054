package io.tocsin.collector.probe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tocsin.collector.OnceLog;
import io.tocsin.collector.SampleSender;
import io.tocsin.schema.AlarmKeys;
import io.tocsin.schema.HostMetric;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.RawAlarmState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * One target's probe cycle: runs its checks in turn and publishes what they measured (DESIGN.md §4):
 * {@code host.ping.ok} (1 or 0, instance = the target), {@code host.ssh.connect.seconds} (instance = the target;
 * no sample when the check fails), {@code tls.cert.days.left} (instance = the endpoint; no sample when the check
 * fails). Every sample's host is the target, its cluster the target's or the collector's, its label
 * {@code collector} the host of the collector that probed.
 *
 * <p>A failed SSH check also raises HostSshFailed (the default rules say the collector raises it, because a
 * threshold cannot see an absent sample; docs/alarms.md), with a stable id per target and port; it is cleared by
 * the next successful check, and by the first successful check after a start (the collector does not remember
 * an alarm raised before it restarted; a clear of an alarm that is not open changes nothing).
 *
 * <p>Error contract: a failed check is counted, logged once until it succeeds again, and the cycle goes on;
 * publishing never blocks the cycle and never fails it ({@link SampleSender}). One thread runs a target's cycles.
 */
final class ProbeCycle implements Runnable {

    static final String SSH_FAILED = "HostSshFailed";

    private final ProbeTarget target;
    private final List<Endpoint> endpoints;
    private final String cluster;
    private final String source;
    private final Map<String, String> labels;
    private final SampleSender sender;
    private final Clock clock;
    private final OnceLog failures = new OnceLog(LoggerFactory.getLogger(ProbeCycle.class));
    private final MeterRegistry meters;
    /**
     * The HostSshFailed state Kafka last acknowledged: null (unknown) after a start, so the first result is sent
     * either way. A cycle whose result differs sends it; a send that fails is repeated by the next cycle.
     */
    private volatile RawAlarmState sshAlarmAcknowledged;
    /** Number of the latest HostSshFailed send: only its acknowledgement counts (an older one may arrive later). */
    private final AtomicLong sshAlarmSends = new AtomicLong();

    ProbeCycle(ProbeTarget target, String defaultCluster, String source, String collectorHost, SampleSender sender,
               MeterRegistry meters, Clock clock) {
        this.target = target;
        this.endpoints = target.endpoints();
        this.cluster = target.cluster().isEmpty() ? defaultCluster : target.cluster();
        this.source = source;
        this.labels = Map.of("collector", collectorHost);
        this.sender = sender;
        this.meters = meters;
        this.clock = clock;
    }

    @Override
    public void run() {
        List<HostMetric> samples = new ArrayList<>();
        if (target.ping() || target.pingPort() > 0) {
            Instant started = clock.instant();
            samples.add(sample("host.ping.ok", target.host(), ping() ? 1 : 0, started));
        }
        if (target.sshPort() > 0) {
            ssh(samples);
        }
        for (Endpoint endpoint : endpoints) {
            Instant now = clock.instant();
            try {
                double days = TlsCertificateCheck.daysLeft(endpoint, target.timeout(), now);
                samples.add(sample("tls.cert.days.left", endpoint.toString(), Math.round(days * 1000) / 1000.0, now));
                succeeded("tls", endpoint.toString());
            } catch (IOException | RuntimeException e) {
                failed("tls", endpoint.toString(), "Cannot read the TLS certificate of " + endpoint + " (no tls.cert.days.left sample)", e);
            }
        }
        sender.samples(samples);
    }

    private boolean ping() {
        try {
            boolean answered = ReachabilityChecks.answers(target.host(), target.ping(), target.pingPort(), target.timeout());
            if (answered) {
                succeeded("ping", target.host());
            } else {
                failed("ping", target.host(), target.host() + " does not answer the ping check (host.ping.ok 0)",
                        new IOException("no answer within " + target.timeout()));
            }
            return answered;
        } catch (IOException | RuntimeException e) {
            failed("ping", target.host(), target.host() + " cannot be pinged (host.ping.ok 0)", e);
            return false;
        }
    }

    private void ssh(List<HostMetric> samples) {
        String endpoint = new Endpoint(target.host(), target.sshPort()).toString();
        Instant now = clock.instant();
        try {
            Duration latency = ReachabilityChecks.sshBanner(target.host(), target.sshPort(), target.sshTimeout());
            samples.add(sample("host.ssh.connect.seconds", target.host(), Math.round(latency.toNanos() / 1e6) / 1000.0, now));
            succeeded("ssh", endpoint);
            sshAlarm(sshAlarm(RawAlarmState.CLEARED, endpoint, "", now));
        } catch (IOException | RuntimeException e) {
            failed("ssh", endpoint, "SSH check of " + endpoint + " failed (no host.ssh.connect.seconds sample; HostSshFailed raised)", e);
            sshAlarm(sshAlarm(RawAlarmState.RAISED, endpoint, describe(e), now));
        }
    }

    /** Sends a HostSshFailed raise or clear unless Kafka already acknowledged that state. */
    private void sshAlarm(RawAlarm alarm) {
        if (alarm.getState() == sshAlarmAcknowledged) {
            return;
        }
        long send = sshAlarmSends.incrementAndGet();
        sender.alarms(List.of(alarm)).thenAccept(acknowledged -> {
            if (acknowledged && sshAlarmSends.get() == send) {
                sshAlarmAcknowledged = alarm.getState();
            }
        });
    }

    RawAlarm sshAlarm(RawAlarmState state, String endpoint, String reason, Instant at) {
        RawAlarm.Builder alarm = RawAlarm.newBuilder()
                .setSource(source)
                .setAlarmId(AlarmKeys.stableId(SSH_FAILED, target.host(), endpoint))
                .setState(state)
                .setCluster(cluster)
                .setHostname(target.host())
                .setTimestamp(at.truncatedTo(ChronoUnit.MILLIS))
                .setLabels(labels);
        if (state == RawAlarmState.RAISED) {
            // Severity, area and recommendation come from the default rules (HostSshFailed: Critical, Network).
            alarm.setType(SSH_FAILED)
                    .setTitle("SSH to " + endpoint + " failed")
                    .setMessage("Collector " + labels.get("collector") + " could not connect to SSH on " + endpoint
                            + " and read its banner within " + target.sshTimeout() + ": " + reason);
        }
        return alarm.build();
    }

    private HostMetric sample(String metric, String instance, double value, Instant at) {
        return HostMetric.newBuilder().setHost(target.host()).setCluster(cluster).setMetric(metric).setInstance(instance)
                .setValue(value).setTimestamp(at.truncatedTo(ChronoUnit.MILLIS)).setLabels(labels).build();
    }

    private void succeeded(String check, String subject) {
        checks(check, "ok").increment();
        failures.succeeded(check + " " + subject, "The " + check + " check of " + subject + " succeeds again");
    }

    private void failed(String check, String subject, String message, Throwable reason) {
        checks(check, "failed").increment();
        failures.failed(check + " " + subject, message, reason);
    }

    private Counter checks(String check, String outcome) {
        return Counter.builder("tocsin.collector.probe.checks").tag("check", check).tag("outcome", outcome)
                .description("Reachability checks run, by check and outcome").register(meters);
    }

    private static String describe(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }
}
