package io.tocsin.dispatcher.integration;

import io.tocsin.common.kafka.CompactedTopicReader;
import io.tocsin.common.kafka.KafkaClients;
import io.tocsin.dispatcher.delivery.Delivery;
import io.tocsin.dispatcher.delivery.DeliveryEngine;
import io.tocsin.dispatcher.routing.IntegrationMatcher;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.AlarmState;
import io.tocsin.schema.topics.TopicSpec;
import io.tocsin.schema.wire.Codecs;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ClusterControl's backfill: an integration created with {@code backfill} is first sent a CREATED for every
 * alarm open at its creation (from the compacted {@code tocsin.alarms.open}) that passes its cluster and event
 * filters. The event is rebuilt with the id the rules service gave that alarm's CREATED
 * ({@code alarmKey/openedAtMillis/1}), so the delivered markers recognise it if the original comes along too, and
 * the alarm's later ENDED is then delivered to it as well. An alarm a silence holds back ({@code silenced}) is not
 * backfilled, as its CREATED was delivered nowhere.
 *
 * <p>Runs on a virtual thread after the integration is stored; what it sends shows in the delivery log. A
 * dispatcher that stops during a backfill does not resume it.
 */
@Singleton
public class Backfiller {

    private static final Logger LOG = LoggerFactory.getLogger(Backfiller.class);

    private final KafkaClients clients;
    private final DeliveryEngine engine;
    private final IntegrationMatcher matcher;

    public Backfiller(KafkaClients clients, DeliveryEngine engine, IntegrationMatcher matcher) {
        this.clients = clients;
        this.engine = engine;
        this.matcher = matcher;
    }

    public void backfill(IntegrationConfig integration) {
        Thread.ofVirtual().name("tocsin-backfill-" + integration.id()).start(() -> {
            try {
                int sent = run(integration);
                LOG.info("Backfilled {} open alarms to integration {}", sent, integration.name());
            } catch (RuntimeException e) {
                LOG.error("Backfill of integration {} failed", integration.name(), e);
            }
        });
    }

    int run(IntegrationConfig integration) {
        TopicSpec<String, AlarmState> open = clients.topics().alarmsOpen();
        Map<String, byte[]> states = new LinkedHashMap<>();
        CompactedTopicReader.readToEnd(clients, open.name(), Duration.ofSeconds(60), record -> {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
                states.remove(key);
            } else {
                states.put(key, record.value());
            }
        });
        String eventsTopic = clients.topics().alarmEvents().name();
        int sent = 0;
        for (byte[] value : states.values()) {
            AlarmState state = open.valueSerde().deserializer().deserialize(open.name(), value);
            if (state.getSilenced()) {
                continue;
            }
            AlarmEvent created = createdOf(state);
            if (!matcher.matchesFilters(created, integration)) {
                continue;
            }
            byte[] key = created.getAlarmKey().getBytes(StandardCharsets.UTF_8);
            engine.submit(new Delivery(integration.id(), created,
                    new ConsumerRecord<>(eventsTopic, -1, -1L, key, Codecs.ALARM_EVENT.encode(created)), Delivery.Origin.BACKFILL, null));
            sent++;
        }
        return sent;
    }

    static AlarmEvent createdOf(AlarmState state) {
        return AlarmEvent.newBuilder()
                .setEventId(state.getAlarmKey() + "/" + state.getOpenedAt().toEpochMilli() + "/1")
                .setAlarmKey(state.getAlarmKey()).setSource(state.getSource()).setAlarmId(state.getAlarmId())
                .setStatus(AlarmEventStatus.CREATED).setSeverity(state.getSeverity()).setType(state.getType())
                .setComponent(state.getComponent()).setCategories(state.getCategories()).setCluster(state.getCluster())
                .setHostname(state.getHostname()).setTitle(state.getTitle()).setMessage(state.getMessage())
                .setRecommendation(state.getRecommendation()).setLabels(state.getLabels())
                .setOpenedAt(state.getOpenedAt()).setEventTime(state.getOpenedAt()).setSequence(1)
                .build();
    }
}
