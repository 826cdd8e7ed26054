package io.tocsin.dispatcher.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.dispatcher.integration.IntegrationRequest;
import io.tocsin.dispatcher.integration.IntegrationService;
import io.tocsin.dispatcher.testing.DispatcherHarness;
import io.tocsin.dispatcher.testing.RecordingReceiver;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.AlarmState;
import io.tocsin.schema.Severity;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.testing.Eventually;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the delivery engine promises, end to end on a real broker with real receivers. */
@ExtendWith(KafkaBrokerExtension.class)
class DeliveryGuaranteesTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    final RecordingReceiver receiver = newReceiver();
    DispatcherHarness tocsin;

    static RecordingReceiver newReceiver() {
        try {
            return new RecordingReceiver();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        if (tocsin != null) {
            tocsin.close();
        }
        receiver.close();
    }

    Map<String, Object> webhook(String name, String url, Object... more) {
        Map<String, Object> props = new HashMap<>();
        props.put("tocsin.dispatcher.integrations." + name + ".service", "webhook");
        props.put("tocsin.dispatcher.integrations." + name + ".url", url);
        for (int i = 0; i < more.length; i += 2) {
            props.put("tocsin.dispatcher.integrations." + name + "." + more[i], more[i + 1]);
        }
        return props;
    }

    static AlarmEvent event(String alarmId, AlarmEventStatus status, Severity severity, String cluster, Instant openedAt) {
        AlarmEvent base = TestEvents.event(alarmId, status, severity, cluster, List.of("Node"));
        return AlarmEvent.newBuilder(base).setOpenedAt(openedAt).setEventTime(openedAt.plusSeconds(base.getSequence()))
                .setEventId(base.getAlarmKey() + "/" + openedAt.toEpochMilli() + "/" + base.getSequence()).build();
    }

    List<String> statuses(String path, String alarmId) {
        return receiver.accepted().stream().filter(r -> r.path().equals(path))
                .map(r -> read(r.body())).filter(body -> body.get("id").asText().equals(alarmId))
                .map(body -> body.get("status").asText()).toList();
    }

    static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void filtersBySeverityClusterAndCreationTimeWithBackfill() throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.putAll(webhook("critical", receiver.url("/critical"), "events", "All Critical Events"));
        props.putAll(webhook("galera", receiver.url("/galera"), "clusters", "prod-galera"));
        tocsin = new DispatcherHarness().start(props);
        Instant before = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);

        // Alarm 100 opened before the late integrations exist: it is open (tocsin.alarms.open) and CREATED went out.
        AlarmEvent old = event("100", AlarmEventStatus.CREATED, Severity.CRITICAL, "prod-galera", before);
        tocsin.produce(tocsin.prefix + "alarms.open", old.getAlarmKey(), Codecs.ALARM_STATE.encode(stateOf(old)));
        tocsin.produce(old,
                event("101", AlarmEventStatus.CREATED, Severity.WARNING, "prod-galera", before),
                event("102", AlarmEventStatus.CREATED, Severity.CRITICAL, "prod-pg", before));
        Eventually.within(WAIT, () -> assertThat(receiver.accepted()).hasSize(4));
        assertThat(statuses("/critical", "101")).as("a Critical-only integration never gets a Warning").isEmpty();
        assertThat(statuses("/critical", "100")).containsExactly("CREATED");
        assertThat(statuses("/critical", "102")).containsExactly("CREATED");
        assertThat(statuses("/galera", "102")).as("the cluster filter holds").isEmpty();
        assertThat(statuses("/galera", "101")).containsExactly("CREATED");

        IntegrationService integrations = tocsin.bean(IntegrationService.class);
        integrations.create(request("late", "/late", false));
        integrations.create(request("late-backfill", "/backfill", true));
        Eventually.within(WAIT, () -> assertThat(statuses("/backfill", "100")).as("backfilled").containsExactly("CREATED"));

        tocsin.produce(event("100", AlarmEventStatus.ENDED, Severity.CRITICAL, "prod-galera", before),
                event("103", AlarmEventStatus.CREATED, Severity.CRITICAL, "prod-galera", Instant.now().plusSeconds(1)));
        Eventually.within(WAIT, () -> assertThat(statuses("/late", "103")).containsExactly("CREATED"));
        Eventually.within(WAIT, () -> assertThat(statuses("/backfill", "103")).containsExactly("CREATED"));
        Eventually.within(WAIT, () -> assertThat(statuses("/critical", "100")).containsExactly("CREATED", "ENDED"));
        assertThat(statuses("/backfill", "100")).as("the backfilled alarm's ENDED follows").containsExactly("CREATED", "ENDED");
        assertThat(statuses("/late", "100")).as("an integration created after the alarm opened is not sent its ENDED").isEmpty();
    }

    IntegrationRequest request(String name, String path, boolean backfill) {
        return new IntegrationRequest(name, "webhook", Map.of("url", receiver.url(path)), List.of(), List.of(), true, true, backfill);
    }

    static AlarmState stateOf(AlarmEvent event) {
        return AlarmState.newBuilder().setAlarmKey(event.getAlarmKey()).setSource(event.getSource()).setAlarmId(event.getAlarmId())
                .setSeverity(event.getSeverity()).setType(event.getType()).setComponent(event.getComponent())
                .setCategories(event.getCategories()).setCluster(event.getCluster()).setHostname(event.getHostname())
                .setTitle(event.getTitle()).setMessage(event.getMessage()).setRecommendation(event.getRecommendation())
                .setLabels(event.getLabels()).setOpenedAt(event.getOpenedAt()).setUpdatedAt(event.getEventTime())
                .setSequence(event.getSequence()).build();
    }

    @Test
    void aReceiverDownForAWhileGetsEveryEventInOrderNoneTwice() {
        receiver.failUntil(Instant.now().plusSeconds(3), 503);
        tocsin = new DispatcherHarness().start(webhook("down", receiver.url("/down")));
        Instant opened = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < 30; i++) {
            tocsin.produce(event("2" + i, AlarmEventStatus.CREATED, Severity.CRITICAL, "c", opened),
                    event("2" + i, AlarmEventStatus.ENDED, Severity.CRITICAL, "c", opened));
        }
        Eventually.within(WAIT, () -> assertThat(receiver.accepted()).hasSize(60));
        assertThat(receiver.requests().stream().filter(r -> r.status() == 503)).as("it was down").isNotEmpty();
        for (int i = 0; i < 30; i++) {
            assertThat(statuses("/down", "2" + i)).as("alarm 2" + i).containsExactly("CREATED", "ENDED");
        }
        assertThat(receiver.accepted().stream().map(r -> r.headers().get("webhook-id")).distinct()).hasSize(60);
    }

    @Test
    void aRefusalGoesToTheDlqAndReplayDeliversItOnceTheReceiverIsFixed() throws Exception {
        receiver.byDefault(RecordingReceiver.Response.status(400));
        tocsin = new DispatcherHarness().start(webhook("strict", receiver.url("/strict")));
        AlarmEvent created = event("300", AlarmEventStatus.CREATED, Severity.CRITICAL, "c", Instant.now());
        tocsin.produce(created);
        Eventually.within(WAIT, () -> assertThat(TopicReader.readAll(tocsin.bootstrap, tocsin.prefix + "dlq", WAIT)).hasSize(1));
        Eventually.within(WAIT, () -> assertThat(outcomes("strict")).containsExactly("DEAD_LETTERED"));
        assertThat(receiver.requests()).hasSize(1);

        receiver.byDefault(RecordingReceiver.Response.status(200)); // the receiver is fixed
        HttpResponse<String> replayed = tocsin.call("POST", "/api/v1/dlq/replay", "{\"integration\": \"strict\"}");
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(202);
        assertThat(read(replayed.body()).get("replayed").asInt()).isEqualTo(1);
        Eventually.within(WAIT, () -> assertThat(receiver.accepted()).hasSize(1));
        assertThat(receiver.accepted().getFirst().headers().get("webhook-id")).isEqualTo(created.getEventId());
        Eventually.within(WAIT, () -> assertThat(outcomes("strict")).containsExactly("DELIVERED"));

        // Replaying again sends nothing more: it was delivered since.
        assertThat(read(tocsin.call("POST", "/api/v1/dlq/replay", "{\"alarmKey\": \"cmon:300\"}").body()).get("matched").asInt()).isEqualTo(1);
        Thread.sleep(1000);
        assertThat(receiver.requests()).hasSize(2);
        HttpResponse<String> badFilter = tocsin.call("POST", "/api/v1/dlq/replay", "{\"from\": \"yesterday\"}");
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(badFilter.body()).contains("\"field\":\"from\"");
    }

    List<String> outcomes(String integration) {
        JsonNode page = read(tocsin.call("GET", "/api/v1/deliveries?integration=" + integration, null).body());
        return java.util.stream.StreamSupport.stream(page.get("items").spliterator(), false).map(item -> item.get("outcome").asText()).toList();
    }

    @Test
    void aStuckReceiverDoesNotDelayAnotherIntegration() throws Exception {
        try (RecordingReceiver stuck = new RecordingReceiver().delay(Duration.ofSeconds(20))) {
            Map<String, Object> props = new HashMap<>();
            props.putAll(webhook("stuck", stuck.url("/stuck")));
            props.putAll(webhook("healthy", receiver.url("/healthy")));
            props.put("tocsin.dispatcher.request-timeout", "30s");
            props.put("tocsin.dispatcher.engine.max-in-flight-per-integration", 16);
            tocsin = new DispatcherHarness().start(props);
            Instant opened = Instant.now();
            for (int i = 0; i < 50; i++) {
                tocsin.produce(event("4" + i, AlarmEventStatus.CREATED, Severity.CRITICAL, "c", opened));
            }
            Eventually.within(Duration.ofSeconds(10), () -> assertThat(receiver.accepted()).hasSize(50));
            assertThat(stuck.accepted()).as("the stuck receiver has answered nothing yet").isEmpty();
            assertThat(stuck.requests()).isEmpty();

            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://localhost:" + tocsin.bean(io.micronaut.runtime.server.EmbeddedServer.class).getPort() + "/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Map<String, String> gauges = metrics.lines().filter(line -> line.startsWith("tocsin_dispatcher_"))
                    .collect(Collectors.toMap(line -> line.substring(0, line.lastIndexOf(' ')), line -> line.substring(line.lastIndexOf(' ') + 1), (a, b) -> a));
            assertThat(gauges).containsKey("tocsin_dispatcher_queue_depth{integration=\"stuck\"}");
            assertThat(Double.parseDouble(gauges.get("tocsin_dispatcher_queue_depth{integration=\"stuck\"}"))).isEqualTo(50.0);
            assertThat(Double.parseDouble(gauges.get("tocsin_dispatcher_in_flight{integration=\"stuck\"}"))).isEqualTo(16.0);
            assertThat(Double.parseDouble(gauges.get("tocsin_dispatcher_deliveries_total{integration=\"healthy\",outcome=\"delivered\"}"))).isEqualTo(50.0);
            assertThat(metrics).contains("tocsin_dispatcher_delivery_latency_seconds_bucket{integration=\"healthy\"");
        }
    }

    @Test
    void aRateLimitedIntegrationMakesBurstsWaitAndDropsNothing() {
        tocsin = new DispatcherHarness().start(webhook("slow", receiver.url("/slow"), "rate-limit", "20", "rate-burst", "5"));
        Instant opened = Instant.now();
        for (int i = 0; i < 30; i++) {
            tocsin.produce(event("5" + i, AlarmEventStatus.CREATED, Severity.CRITICAL, "c", opened));
        }
        Eventually.within(WAIT, () -> assertThat(receiver.accepted()).hasSize(30));
        List<Instant> times = receiver.accepted().stream().map(RecordingReceiver.Request::at).sorted().toList();
        // 5 at once, then 25 at 20/s: at least 1.25 s minus scheduling slack.
        assertThat(Duration.between(times.getFirst(), times.getLast())).isGreaterThan(Duration.ofMillis(1100));
    }

    @Test
    void deletingAnIntegrationStopsItsRetries() throws Exception {
        try (RecordingReceiver down = new RecordingReceiver()) {
            down.failUntil(Instant.now().plusSeconds(3600), 503);
            tocsin = new DispatcherHarness().start(Map.of());
            IntegrationService integrations = tocsin.bean(IntegrationService.class);
            String id = integrations.create(new IntegrationRequest("doomed", "webhook", Map.of("url", down.url("/doomed")),
                    List.of(), List.of(), true, true, false)).id();
            tocsin.produce(event("700", AlarmEventStatus.CREATED, Severity.CRITICAL, "c", Instant.now().plusSeconds(1)));
            Eventually.within(WAIT, () -> assertThat(down.requests().size()).isGreaterThan(2));

            integrations.delete(id);
            Thread.sleep(500); // an attempt in progress at the delete may still finish
            int afterDelete = down.requests().size();
            Thread.sleep(1500);
            assertThat(down.requests()).as("no attempt after the delete").hasSize(afterDelete);
            Eventually.within(WAIT, () -> assertThat(tocsin.bean(DeliveryEngine.class).pending()).isZero());
        }
    }

    @Test
    void aSecondInstanceTakingPartitionsOverRepeatsOnlyWhatWasInFlight() throws Exception {
        receiver.delay(Duration.ofMillis(5));
        tocsin = new DispatcherHarness().start(webhook("ops", receiver.url("/ops")));
        Instant opened = Instant.now();
        for (int i = 0; i < 400; i++) {
            tocsin.produce(event("8" + i, AlarmEventStatus.CREATED, Severity.CRITICAL, "c", opened),
                    event("8" + i, AlarmEventStatus.ENDED, Severity.CRITICAL, "c", opened));
        }
        Eventually.within(WAIT, () -> assertThat(receiver.accepted().size()).isGreaterThan(100));
        DispatcherHarness first = tocsin;
        try (DispatcherHarness second = new DispatcherHarness() {
            @Override
            public Map<String, Object> properties() {
                Map<String, Object> props = super.properties();
                props.put("tocsin.kafka.topic-prefix", first.prefix);
                props.put("tocsin.dispatcher.group-id", first.properties().get("tocsin.dispatcher.group-id"));
                props.put("tocsin.secrets.key", first.secretsKey);
                return props;
            }
        }.start(webhook("ops", receiver.url("/ops")))) {
            Eventually.within(Duration.ofSeconds(60), () -> assertThat(receiver.accepted().stream()
                    .map(r -> r.headers().get("webhook-id")).distinct()).hasSize(800));
            Thread.sleep(500);
        }
        long repeats = receiver.accepted().size() - 800;
        System.out.println("[rebalance-test] repeated deliveries after the rebalance: " + repeats);
        assertThat(repeats).as("only deliveries in flight at the hand-over (at most 128 per instance)").isLessThanOrEqualTo(128);
        for (int i = 0; i < 400; i++) {
            assertThat(statuses("/ops", "8" + i).stream().distinct().toList()).as("alarm 8" + i).containsExactly("CREATED", "ENDED");
        }
    }
}
