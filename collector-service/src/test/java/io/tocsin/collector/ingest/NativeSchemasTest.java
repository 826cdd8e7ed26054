package io.tocsin.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.schema.HostMetric;
import io.tocsin.schema.RawAlarm;
import io.tocsin.testing.OpenApiDocument;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The OpenAPI document shows the native bodies with exactly the Avro schemas' fields. */
class NativeSchemasTest {

    @Test
    @SuppressWarnings("unchecked")
    void theDocumentedBodiesHaveTheAvroFields() {
        Map<String, Object> doc = OpenApiDocument.load("tocsin-collector-0.1.yml");
        assertThat(properties(doc, "RawAlarm")).containsExactlyInAnyOrderElementsOf(fields(RawAlarm.getClassSchema()));
        assertThat(properties(doc, "HostMetric")).containsExactlyInAnyOrderElementsOf(fields(HostMetric.getClassSchema()));
        assertThat((java.util.List<Object>) OpenApiDocument.at(doc, "components", "schemas", "RawAlarm").get("required"))
                .containsExactlyInAnyOrder("source", "alarmId", "state");
        assertThat((java.util.List<Object>) OpenApiDocument.at(doc, "components", "schemas", "HostMetric").get("required"))
                .containsExactlyInAnyOrder("host", "metric", "value");
        assertThat(OpenApiDocument.at(doc, "paths", "/api/v1/ingest/metrics", "post", "requestBody").toString()).contains("HostMetric");
        assertThat(OpenApiDocument.at(doc, "paths", "/api/v1/ingest/alarms", "post", "requestBody").toString()).contains("RawAlarm");
        // One object or an array of them, both by the schema (not the bytes the controller reads).
        Object alarmsBody = OpenApiDocument.at(doc, "paths", "/api/v1/ingest/alarms", "post", "requestBody", "content",
                "application/json", "schema").get("oneOf");
        assertThat(alarmsBody.toString()).isEqualTo("[{$ref=#/components/schemas/RawAlarm}, {type=array, items={$ref=#/components/schemas/RawAlarm}}]");
        Object metricsBody = OpenApiDocument.at(doc, "paths", "/api/v1/ingest/metrics", "post", "requestBody", "content",
                "application/json", "schema").get("oneOf");
        assertThat(metricsBody.toString()).isEqualTo("[{$ref=#/components/schemas/HostMetric}, {type=array, items={$ref=#/components/schemas/HostMetric}}]");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyIngestAnswerShowsItsBodySchema() {
        Map<String, Object> doc = OpenApiDocument.load("tocsin-collector-0.1.yml");
        Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
        assertThat(paths.keySet()).contains("/api/v1/ingest/alarms", "/api/v1/ingest/metrics", "/api/v1/ingest/clustercontrol",
                "/api/v1/ingest/alertmanager", "/api/v1/ingest/pacemaker");
        paths.forEach((path, item) -> {
            Map<String, Object> responses = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) item).get("post")).get("responses");
            for (String status : java.util.List.of("202", "400", "401", "503")) {
                assertThat(String.valueOf(responses.get(status))).as(path + " " + status).contains("$ref=#/components/schemas/");
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static java.util.Set<String> properties(Map<String, Object> doc, String schema) {
        return ((Map<String, Object>) OpenApiDocument.at(doc, "components", "schemas", schema, "properties")).keySet();
    }

    private static java.util.List<String> fields(Schema schema) {
        return schema.getFields().stream().map(Schema.Field::name).toList();
    }
}
