package io.tocsin.dispatcher.testing;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tocsin.common.security.SecretBox;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.wire.Codecs;
import io.tocsin.testing.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A dispatcher service for tests: a real Micronaut server with the dispatcher, on the shared test broker, with
 * its own topic prefix and consumer group, an admin token and a secrets key; plus helpers to call its API and to
 * write alarm events to its topic.
 */
public class DispatcherHarness implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";

    public final String prefix = "t" + System.nanoTime() + ".";
    public final String bootstrap = KafkaBrokerExtension.broker().bootstrapServers();
    public final String secretsKey = SecretBox.newKey();
    private final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedServer server;
    private KafkaProducer<byte[], byte[]> producer;

    public Map<String, Object> properties() {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("tocsin.kafka.bootstrap-servers", bootstrap);
        props.put("tocsin.kafka.topic-prefix", prefix);
        props.put("tocsin.dispatcher.group-id", "dispatcher-" + prefix);
        props.put("tocsin.dispatcher.initial-backoff", "20ms");
        props.put("tocsin.dispatcher.max-backoff", "200ms");
        props.put("tocsin.dispatcher.delivery-deadline", "20s");
        props.put("tocsin.dispatcher.request-timeout", "5s");
        props.put("tocsin.security.admin-token", ADMIN_TOKEN);
        props.put("tocsin.secrets.key", secretsKey);
        return props;
    }

    public DispatcherHarness start(Map<String, Object> extra) {
        Map<String, Object> props = properties();
        props.putAll(extra);
        server = ApplicationContext.run(EmbeddedServer.class, props);
        return this;
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    public <T> T bean(Class<T> type) {
        return context().getBean(type);
    }

    public HttpResponse<String> call(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void produce(AlarmEvent... events) {
        for (AlarmEvent event : events) {
            produce(prefix + "alarm-events", event.getAlarmKey(), Codecs.ALARM_EVENT.encode(event));
        }
        producer().flush();
    }

    public void produce(String topic, String key, byte[] value) {
        producer().send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        }
        return producer;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
        if (server != null) {
            server.getApplicationContext().close();
        }
    }
}
