package io.tocsin.cloud.instances;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.cloud.api.CloudServiceHarness;
import io.tocsin.cloud.instances.InstanceActions.Action;
import io.tocsin.cloud.provider.aws.AwsWireMock;
import io.tocsin.testing.CapturedLogs;
import io.tocsin.testing.KafkaBrokerExtension;
import io.tocsin.testing.TopicReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The instances API end to end: a cloud service on a real broker, an AWS credential created through the API, the
 * AWS adapter's EC2 and STS endpoints overridden to WireMock serving AWS's documented answers. Checks the answers,
 * what reached EC2, the actions recorded for the watcher, and that the secret is in no answer, log line, topic record
 * or request.
 */
@ExtendWith(KafkaBrokerExtension.class)
class InstancesApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CREDENTIALS = "/api/v1/cloud/credentials";
    static final String INSTANCE = "i-1234567890abcdef0";

    CapturedLogs logs;
    AwsWireMock aws;
    CloudServiceHarness cloud;
    String path;
    String id;

    @BeforeEach
    void start() throws Exception {
        logs = new CapturedLogs();
        aws = new AwsWireMock();
        cloud = new CloudServiceHarness().with("tocsin.cloud.aws.ec2-endpoint", aws.url()).with("tocsin.cloud.aws.sts-endpoint", aws.url())
                .with("tocsin.cloud.aws.max-attempts", 1).start();
        id = AwsWireMock.createThroughApi(cloud);
        path = CREDENTIALS + "/" + id + "/instances";
    }

    @AfterEach
    void stop() {
        cloud.close();
        aws.close();
        logs.close();
    }

    @Test
    void listStopRebootAndAConfirmedTerminate() throws Exception {
        HttpResponse<String> verified = cloud.call("POST", CREDENTIALS + "/" + id + "/verify", null);
        assertThat(JSON.readTree(verified.body()).get("identity").asText()).as(verified.body()).isEqualTo("arn:aws:iam::123456789012:user/Alice");

        HttpResponse<String> listed = cloud.call("GET", path, null);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(JSON.readTree(listed.body())).isEqualTo(JSON.readTree("""
                [{"id": "i-1234567890abcdef0", "name": "Server_1", "state": "RUNNING", "providerState": "running", "type": "t2.micro",
                  "location": "eu-west-1c", "privateAddresses": ["192.168.1.88"],
                  "publicAddresses": ["54.194.252.215", "2001:db8:1234:1a2b::123"]}]"""));
        assertThat(cloud.call("GET", path + "?location=us-east-2", null).statusCode()).isEqualTo(200);
        assertThat(aws.requests("DescribeInstances")).extracting(request -> request.getHeader("Authorization"))
                .satisfiesExactly(first -> assertThat(first).contains("/eu-west-1/ec2/"), second -> assertThat(second).contains("/us-east-2/ec2/"));

        HttpResponse<String> stopped = cloud.call("POST", path + "/" + INSTANCE + "/stop", null);
        assertThat(stopped.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(stopped.body())).isEqualTo(JSON.readTree("{\"instanceId\": \"" + INSTANCE + "\", \"action\": \"stop\"}"));
        assertThat(cloud.call("POST", path + "/" + INSTANCE + "/reboot?location=eu-central-1", null).statusCode()).isEqualTo(202);
        assertThat(AwsWireMock.params(aws.requests("StopInstances").getFirst())).containsEntry("InstanceId.1", INSTANCE);
        assertThat(aws.requests("RebootInstances").getFirst().getHeader("Authorization")).contains("/eu-central-1/ec2/");
        InstanceActions actions = cloud.bean(InstanceActions.class);
        assertThat(actions.since(id, INSTANCE, java.time.Instant.MIN)).extracting(InstanceActions.Entry::action)
                .containsExactly(Action.STOP, Action.REBOOT);

        // Terminate only with the id repeated in confirm; nothing reaches EC2 otherwise.
        assertThat(fields(cloud.call("POST", path + "/" + INSTANCE + "/terminate", null))).containsExactly("confirm");
        assertThat(fields(cloud.call("POST", path + "/" + INSTANCE + "/terminate", "{}"))).containsExactly("confirm");
        assertThat(fields(cloud.call("POST", path + "/" + INSTANCE + "/terminate", "{\"confirm\": \"i-0598c7d356eba48d7\"}")))
                .containsExactly("confirm");
        assertThat(fields(cloud.call("POST", path + "/" + INSTANCE + "/terminate", "[\"" + INSTANCE + "\"]"))).containsExactly("confirm");
        assertThat(fields(cloud.call("POST", path + "/" + INSTANCE + "/terminate", "{\"confirm\": \"" + INSTANCE + "\", \"force\": true}")))
                .containsExactly("force");
        assertThat(aws.requests("TerminateInstances")).isEmpty();
        HttpResponse<String> terminated = cloud.call("POST", path + "/" + INSTANCE + "/terminate", "{\"confirm\": \"" + INSTANCE + "\"}");
        assertThat(terminated.statusCode()).as(terminated.body()).isEqualTo(202);
        assertThat(JSON.readTree(terminated.body()).get("action").asText()).isEqualTo("terminate");
        assertThat(AwsWireMock.params(aws.requests("TerminateInstances").getFirst())).containsEntry("InstanceId.1", INSTANCE);
        assertThat(actions.latest(id, INSTANCE)).map(InstanceActions.Entry::action).contains(Action.TERMINATE);
        assertThat(logs.text()).contains("Cloud instance " + INSTANCE + " (aws credential " + id + ", default region eu-west-1): stop asked");

        assertNoSecretAnywhere();
    }

    @Test
    void refusalsAreAnsweredWithTheirStatusAndForgottenByTheActionLog() throws Exception {
        aws.stub("StopInstances", 400, "ec2-error-InvalidInstanceID.NotFound.xml");
        aws.stub("DescribeInstances", 503, "ec2-error-RequestLimitExceeded.xml");
        aws.stub("RebootInstances", 403, "ec2-error-UnauthorizedOperation.xml");

        HttpResponse<String> notFound = cloud.call("POST", path + "/i-1a2b3c4d/stop", null);
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(notFound.body()).get("detail").asText()).isEqualTo("AWS EC2 StopInstances i-1a2b3c4d (eu-west-1) failed: "
                + "InvalidInstanceID.NotFound (HTTP 400): The instance ID 'i-1a2b3c4d' does not exist [request id ea966190-f9aa-478e-9ede-example]");
        assertThat(cloud.bean(InstanceActions.class).latest(id, "i-1a2b3c4d")).as("nothing happened, nothing kept").isEmpty();

        HttpResponse<String> throttled = cloud.call("GET", path, null);
        assertThat(throttled.statusCode()).isEqualTo(503);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("10");
        assertThat(cloud.call("POST", path + "/" + INSTANCE + "/reboot", null).statusCode()).isEqualTo(422);

        assertThat(fields(cloud.call("GET", path + "?location=Not%20A%20Region", null))).containsExactly("location");
        assertThat(fields(cloud.call("POST", path + "/i-bad%24id/stop", null))).containsExactly("instanceId");
        HttpResponse<String> badRegion = cloud.call("GET", path + "?location=europe-west1-b", null);
        assertThat(badRegion.statusCode()).as("a zone-shaped location is no AWS region").isEqualTo(400);
        assertThat(JSON.readTree(badRegion.body()).get("detail").asText()).contains("location 'europe-west1-b' is not an AWS region name");
        assertThat(cloud.call("GET", CREDENTIALS + "/no-such-id/instances", null).statusCode()).isEqualTo(404);
        assertThat(cloud.call("POST", CREDENTIALS + "/no-such-id/instances/" + INSTANCE + "/stop", null).statusCode()).isEqualTo(404);

        assertNoSecretAnywhere();
    }

    private void assertNoSecretAnywhere() throws Exception {
        String topic = TopicReader.readAll(cloud.bootstrap, cloud.prefix + "cloud.credentials", Duration.ofSeconds(10)).stream()
                .map(record -> record.value() == null ? "" : new String(record.value(), StandardCharsets.ISO_8859_1))
                .reduce("", String::concat);
        assertThat(topic).as("the credential is stored").contains(AwsWireMock.KEY_ID);
        List<String> places = List.of(String.join("\n", cloud.answers), logs.text(), topic);
        for (String secret : List.of(AwsWireMock.SECRET, AwsWireMock.SESSION_TOKEN)) {
            assertThat(places).as("answers, logs, topic").allSatisfy(text -> assertThat(text).doesNotContain(secret));
        }
        // To AWS the secret key goes only as the signature's HMAC key; the session token must travel (X-Amz-Security-Token).
        assertThat(aws.exchanged()).doesNotContain(AwsWireMock.SECRET);
    }

    static List<String> fields(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        JsonNode errors = JSON.readTree(response.body()).get("errors");
        assertThat(errors).as(response.body()).isNotNull();
        errors.forEach(error -> fields.add(error.get("field").asText()));
        return fields;
    }
}
