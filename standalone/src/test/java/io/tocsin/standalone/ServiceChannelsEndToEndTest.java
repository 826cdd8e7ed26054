package io.tocsin.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.common.security.ApiTokens;
import io.tocsin.testing.Eventually;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 end to end: one alarm raised and cleared through HTTP ingest, the rules service and the dispatcher (real
 * embedded broker) reaches every incident and chat service's local stand-in ({@link FakeServices}) as the
 * service's own create and resolve requests; and a burst to a rate-limited integration is paced at its limit
 * without losing one while another integration gets the same burst at once.
 */
class ServiceChannelsEndToEndTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    Path dataDir;

    final HttpClient http = HttpClient.newHttpClient();

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** ServiceNow's Table API as far as the channel uses it: incidents found again by correlation_id. */
    static void serviceNow(FakeServices fake) {
        Map<String, String> incidents = new ConcurrentHashMap<>();
        fake.answer("GET", "/sn/api/now/table/incident", request -> {
            String query = URLDecoder.decode(request.path().substring(request.path().indexOf("sysparm_query=") + 14), StandardCharsets.UTF_8);
            String correlation = query.substring("correlation_id=".length(), query.indexOf("^active=true"));
            String sysId = incidents.get(correlation);
            return new FakeServices.Response(200, sysId == null ? "{\"result\":[]}" : "{\"result\":[{\"sys_id\":\"" + sysId + "\"}]}");
        });
        fake.answer("POST", "/sn/api/now/table/incident", request -> {
            String sysId = "%032x".formatted(incidents.size() + 1);
            try {
                incidents.put(JSON.readTree(request.body()).get("correlation_id").asText(), sysId);
            } catch (IOException e) {
                return new FakeServices.Response(400, "{}");
            }
            return new FakeServices.Response(201, "{\"result\":{\"sys_id\":\"" + sysId + "\"}}");
        });
        fake.answer("PATCH", "/sn/api/now/table/incident/", 200, "{\"result\":{}}");
    }

    Map<String, Object> settings(FakeServices fake) throws IOException {
        Map<String, Object> props = new HashMap<>();
        props.put("tocsin.standalone.data-dir", dataDir.toString());
        props.put("tocsin.standalone.kafka-port", freePort());
        props.put("tocsin.standalone.controller-port", freePort());
        props.put("micronaut.server.port", freePort());
        props.put("tocsin.collector.host.enabled", false);
        declare(props, "pd", "pagerduty", "routingKey", "R0UT1NGKEY0123456789abcdefABCDEF", "url", fake.url("/pagerduty/v2/enqueue"));
        declare(props, "og", "opsgenie", "apiKey", "og-api-key", "url", fake.url("/opsgenie"));
        declare(props, "so", "splunk-oncall", "restEndpointUrl", fake.url("/splunk/integrations/generic/20131114/alert/api-key"), "routingKey", "ops");
        declare(props, "sn", "servicenow", "instanceUrl", fake.url("/sn"), "username", "tocsin", "password", "sn-password");
        declare(props, "slack", "slack", "webhookUrl", fake.url("/slack/services/T0/B0/slack-secret"));
        declare(props, "discord", "discord", "webhookUrl", fake.url("/discord/api/webhooks/1/discord-secret"));
        declare(props, "tg", "telegram", "botToken", "123456:AAH-tg-secret-token_0123456789", "chatId", "-1001234567890", "url", fake.url("/telegram"));
        declare(props, "teams", "teams", "workflowUrl", fake.url("/teams/workflows/1/triggers/manual/paths/invoke?sig=teams-sig"));
        return props;
    }

    static void declare(Map<String, Object> props, String name, String service, String... settings) {
        props.put("tocsin.dispatcher.integrations." + name + ".service", service);
        for (int i = 0; i < settings.length; i += 2) {
            props.put("tocsin.dispatcher.integrations." + name + "." + settings[i], settings[i + 1]);
        }
    }

    HttpResponse<String> ingest(Standalone tocsin, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(tocsin.url() + "/api/v1/ingest/alarms"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String raise(String id) {
        return """
                {"source": "cc-1", "alarmId": "%s", "state": "RAISED", "type": "MySqlDisconnected", "severity": "CRITICAL",
                 "component": "Node", "cluster": "prod-galera", "hostname": "192.168.20.62", "title": "Server disconnected",
                 "message": "PostgreSQL server on 192.168.20.62:5432 disconnected", "recommendation": "Check node status on UI."}
                """.formatted(id);
    }

    static String clear(String id) {
        return "{\"source\": \"cc-1\", \"alarmId\": \"" + id + "\", \"state\": \"CLEARED\"}";
    }

    static JsonNode json(FakeServices.Request request) {
        try {
            return JSON.readTree(request.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + request.body(), e);
        }
    }

    @Test
    void aCreatedThenEndedAlarmReachesEveryServiceAsItsOwnCreateAndResolve() throws Exception {
        try (FakeServices fake = new FakeServices()) {
            fake.answer("POST", "/pagerduty/", 202, "{\"status\":\"success\",\"message\":\"Event processed\"}");
            fake.answer("POST", "/opsgenie/", 202, "{\"result\":\"Request will be processed\",\"took\":0.1,\"requestId\":\"r-1\"}");
            fake.answer("POST", "/splunk/", 200, "{\"result\":\"success\"}");
            serviceNow(fake);
            fake.answer("POST", "/slack/", 200, "ok");
            fake.answer("POST", "/discord/", 204, "");
            fake.answer("POST", "/telegram/", 200, "{\"ok\":true,\"result\":{\"message_id\":1}}");
            fake.answer("POST", "/teams/", 202, "");
            try (Standalone tocsin = Standalone.start(new String[0], settings(fake))) {
                String token = tocsin.createdTokens().get(ApiTokens.Role.INGEST);
                assertThat(ingest(tocsin, token, raise("801")).statusCode()).isEqualTo(202);
                Eventually.within(WAIT, () -> {
                    assertThat(fake.requests("/pagerduty/")).hasSize(1);
                    assertThat(fake.requests("/opsgenie/")).hasSize(1);
                    assertThat(fake.requests("/splunk/")).hasSize(1);
                    assertThat(fake.requests("/sn/").stream().filter(r -> r.method().equals("POST"))).hasSize(1);
                    assertThat(fake.requests("/slack/")).hasSize(1);
                    assertThat(fake.requests("/discord/")).hasSize(1);
                    assertThat(fake.requests("/telegram/")).hasSize(1);
                    assertThat(fake.requests("/teams/")).hasSize(1);
                });
                assertThat(ingest(tocsin, token, clear("801")).statusCode()).isEqualTo(202);
                Eventually.within(WAIT, () -> {
                    assertThat(fake.requests("/pagerduty/")).hasSize(2);
                    assertThat(fake.requests("/opsgenie/")).hasSize(2);
                    assertThat(fake.requests("/splunk/")).hasSize(2);
                    assertThat(fake.requests("/sn/").stream().filter(r -> r.method().equals("PATCH"))).hasSize(1);
                    assertThat(fake.requests("/slack/")).hasSize(2);
                    assertThat(fake.requests("/discord/")).hasSize(2);
                    assertThat(fake.requests("/telegram/")).hasSize(2);
                    assertThat(fake.requests("/teams/")).hasSize(2);
                });

                List<FakeServices.Request> pagerDuty = fake.requests("/pagerduty/");
                assertThat(pagerDuty).allSatisfy(r -> assertThat(r.path()).isEqualTo("/pagerduty/v2/enqueue"));
                assertThat(json(pagerDuty.get(0)).get("event_action").asText()).isEqualTo("trigger");
                assertThat(json(pagerDuty.get(0)).at("/payload/severity").asText()).isEqualTo("critical");
                assertThat(json(pagerDuty.get(1)).get("event_action").asText()).isEqualTo("resolve");
                assertThat(json(pagerDuty.get(1)).get("dedup_key").asText()).isEqualTo("cc-1:801").isEqualTo(json(pagerDuty.get(0)).get("dedup_key").asText());

                List<FakeServices.Request> opsgenie = fake.requests("/opsgenie/");
                assertThat(opsgenie.get(0).path()).isEqualTo("/opsgenie/v2/alerts");
                assertThat(json(opsgenie.get(0)).get("alias").asText()).isEqualTo("cc-1:801");
                assertThat(json(opsgenie.get(0)).get("priority").asText()).isEqualTo("P1");
                assertThat(opsgenie.get(0).headers().get("Authorization")).containsExactly("GenieKey og-api-key");
                assertThat(opsgenie.get(1).path()).isEqualTo("/opsgenie/v2/alerts/cc-1%3A801/close?identifierType=alias");

                List<FakeServices.Request> splunk = fake.requests("/splunk/");
                assertThat(splunk).allSatisfy(r -> assertThat(r.path()).isEqualTo("/splunk/integrations/generic/20131114/alert/api-key/ops"));
                assertThat(json(splunk.get(0)).get("message_type").asText()).isEqualTo("CRITICAL");
                assertThat(json(splunk.get(1)).get("message_type").asText()).isEqualTo("RECOVERY");
                assertThat(json(splunk.get(0)).get("entity_id").asText()).isEqualTo("cc-1:801").isEqualTo(json(splunk.get(1)).get("entity_id").asText());

                FakeServices.Request created = fake.requests("/sn/").stream().filter(r -> r.method().equals("POST")).findFirst().orElseThrow();
                assertThat(json(created).get("correlation_id").asText()).isEqualTo("cc-1:801");
                assertThat(created.headers().get("Authorization")).containsExactly("Basic " + java.util.Base64.getEncoder()
                        .encodeToString("tocsin:sn-password".getBytes(StandardCharsets.UTF_8)));
                FakeServices.Request resolved = fake.requests("/sn/").stream().filter(r -> r.method().equals("PATCH")).findFirst().orElseThrow();
                assertThat(resolved.path()).startsWith("/sn/api/now/table/incident/" + "%032x".formatted(1));
                assertThat(json(resolved).get("state").asText()).isEqualTo("6");

                assertThat(fake.requests("/slack/").get(0).body()).contains("[CRITICAL] Server disconnected");
                assertThat(fake.requests("/slack/").get(1).body()).contains("[RESOLVED] Server disconnected");
                assertThat(fake.requests("/discord/").get(0).path()).endsWith("?wait=true");
                assertThat(fake.requests("/discord/").get(1).body()).contains("RESOLVED");
                List<FakeServices.Request> telegram = fake.requests("/telegram/");
                assertThat(telegram).allSatisfy(r -> assertThat(r.path()).isEqualTo("/telegram/bot123456:AAH-tg-secret-token_0123456789/sendMessage"));
                assertThat(json(telegram.get(0)).get("chat_id").asText()).isEqualTo("-1001234567890");
                assertThat(json(telegram.get(0)).get("parse_mode").asText()).isEqualTo("HTML");
                assertThat(json(telegram.get(0)).get("text").asText()).contains("[CRITICAL] Server disconnected");
                assertThat(json(telegram.get(1)).get("text").asText()).contains("[RESOLVED] Server disconnected");
                List<FakeServices.Request> teams = fake.requests("/teams/");
                assertThat(teams.get(0).path()).endsWith("?sig=teams-sig");
                assertThat(teams.get(0).body()).contains("AdaptiveCard", "CRITICAL", "Server disconnected");
                assertThat(teams.get(1).body()).contains("RESOLVED", "Server disconnected");
            }
        }
    }

    @Test
    void aBurstToARateLimitedIntegrationIsPacedAndLosesNothingWhileAnotherGetsItAtOnce() throws Exception {
        int burst = 12;
        try (FakeServices fake = new FakeServices()) {
            fake.answer("POST", "/slack/", 200, "ok");
            fake.answer("POST", "/discord/", 204, "");
            Map<String, Object> props = new HashMap<>();
            props.put("tocsin.standalone.data-dir", dataDir.toString());
            props.put("tocsin.standalone.kafka-port", freePort());
            props.put("tocsin.standalone.controller-port", freePort());
            props.put("micronaut.server.port", freePort());
            props.put("tocsin.collector.host.enabled", false);
            declare(props, "paced", "slack", "webhookUrl", fake.url("/slack/paced"), "rate-limit", "4", "rate-burst", "1");
            declare(props, "free", "discord", "webhookUrl", fake.url("/discord/free"), "rate-limit", "1000", "rate-burst", "1000");
            try (Standalone tocsin = Standalone.start(new String[0], props)) {
                String token = tocsin.createdTokens().get(ApiTokens.Role.INGEST);
                StringBuilder batch = new StringBuilder("[");
                for (int i = 0; i < burst; i++) {
                    batch.append(i == 0 ? "" : ",").append(raise("9" + i));
                }
                assertThat(ingest(tocsin, token, batch.append(']').toString()).statusCode()).isEqualTo(202);
                Eventually.within(WAIT, () -> assertThat(fake.requests("/discord/free")).hasSize(burst));
                Instant freeDone = fake.requests("/discord/free").stream().map(FakeServices.Request::at).max(Instant::compareTo).orElseThrow();
                Eventually.within(WAIT, () -> assertThat(fake.requests("/slack/paced")).hasSize(burst));
                List<Instant> paced = fake.requests("/slack/paced").stream().map(FakeServices.Request::at).sorted().toList();
                // 1 at once, then 11 at 4/s: at least 2.75 s, minus scheduling slack.
                assertThat(Duration.between(paced.getFirst(), paced.getLast())).as("paced at 4/s").isGreaterThan(Duration.ofMillis(2500));
                assertThat(freeDone).as("the other integration was not held back by the paced one").isBefore(paced.getLast());
                assertThat(fake.requests("/slack/paced").stream().map(r -> r.body()).distinct()).as("none twice").hasSize(burst);
            }
        }
    }
}
