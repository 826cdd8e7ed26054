package io.tocsin.cloud.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.tocsin.cloud.api.CloudServiceHarness;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EC2 and STS for tests: WireMock on 127.0.0.1 answering each Query API action with the response AWS documents for
 * it (test resources {@code aws/*.xml}, each with a {@code .source} note), so the real AWS SDK talks to it as to AWS.
 * Tests read back what the SDK sent ({@link #requests}, {@link #params}) and search everything exchanged for secrets
 * ({@link #exchanged}).
 */
public final class AwsWireMock implements AutoCloseable {

    public static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    public static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYAWSTESTSECRET0";
    public static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEDAaCXVzLWVhc3QtMSJHMEUCIQSESSIONTESTTOKEN0";
    /** Every EC2 action with a recorded answer. */
    public static final List<String> EC2_ACTIONS = List.of("DescribeInstances", "StopInstances", "RebootInstances",
            "TerminateInstances", "DescribeVpcs", "DescribeSubnets", "DescribeRouteTables", "DescribeInternetGateways",
            "DescribeNetworkAcls", "DescribeSecurityGroups", "DescribeDhcpOptions", "CreateVpc", "CreateSubnet", "DeleteSubnet");

    public final WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

    public AwsWireMock() {
        server.start();
        stubRecorded();
    }

    public String url() {
        return server.baseUrl();
    }

    /** The recorded 200 answer of every action (EC2 and STS GetCallerIdentity). */
    public void stubRecorded() {
        EC2_ACTIONS.forEach(action -> stub(action, 200, "ec2-" + action + ".xml", 5));
        stub("GetCallerIdentity", 200, "sts-GetCallerIdentity.xml", 5);
    }

    /** Answers {@code action} with a resource and status, before the recorded answers. */
    public void stub(String action, int status, String resource) {
        stub(action, status, resource, 1);
    }

    /** Answers {@code action} requests whose body also contains {@code also}, before the others. */
    public void stubWhere(String action, String also, int status, String resource) {
        server.stubFor(action(action).withRequestBody(containing(also)).atPriority(0)
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(resource(resource))));
    }

    /** Answers {@code action} only after {@code delay}: a provider too slow for the configured timeouts. */
    public void stubSlow(String action, Duration delay) {
        server.stubFor(action(action).atPriority(0).willReturn(aResponse().withStatus(200).withFixedDelay((int) delay.toMillis())
                .withHeader("Content-Type", "text/xml").withBody(resource("ec2-" + action + ".xml"))));
    }

    private void stub(String action, int status, String resource, int priority) {
        server.stubFor(action(action).atPriority(priority).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(resource(resource))));
    }

    private static MappingBuilder action(String action) {
        // The SDK sends Action first and Version after it: "Action=DescribeInstances&Version=2016-11-15&...".
        return post(urlEqualTo("/")).withRequestBody(containing("Action=" + action + "&"));
    }

    public static String resource(String name) {
        try (InputStream in = AwsWireMock.class.getResourceAsStream("/aws/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource aws/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The requests for {@code action}, oldest first. */
    public List<LoggedRequest> requests(String action) {
        return server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(request -> request.getBodyAsString().startsWith("Action=" + action + "&"))
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
    }

    /** A request's form parameters, decoded, in order. */
    public static Map<String, String> params(LoggedRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    /** Everything exchanged: each request's URL, headers and body and each answer's headers and body. */
    public String exchanged() {
        StringBuilder all = new StringBuilder();
        for (ServeEvent event : server.getAllServeEvents()) {
            LoggedRequest request = event.getRequest();
            all.append(request.getMethod()).append(' ').append(request.getAbsoluteUrl()).append('\n')
                    .append(request.getHeaders()).append('\n').append(request.getBodyAsString()).append('\n')
                    .append(event.getResponse().getHeaders()).append('\n').append(event.getResponse().getBodyAsString()).append('\n');
        }
        return all.toString();
    }

    /** An AWS credential with the test keys (and a session token when asked), default region eu-west-1. */
    public static CloudCredential credential(String id, boolean session) {
        Map<String, String> fields = new LinkedHashMap<>(Map.of("accessKeyId", KEY_ID, "secretAccessKey", SECRET));
        if (session) {
            fields.put("sessionToken", SESSION_TOKEN);
        }
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new CloudCredential(id, Provider.AWS, "test-" + id, "", "eu-west-1", fields, now, now);
    }

    /** An AWS credential with the test keys and a session token, default region eu-west-1, made through the API; its id. */
    public static String createThroughApi(CloudServiceHarness cloud) {
        String body = "{\"provider\": \"aws\", \"name\": \"aws-test\", \"defaultRegion\": \"eu-west-1\", \"credentials\": "
                + "{\"accessKeyId\": \"" + KEY_ID + "\", \"secretAccessKey\": \"" + SECRET + "\", \"sessionToken\": \"" + SESSION_TOKEN + "\"}}";
        HttpResponse<String> created = cloud.call("POST", "/api/v1/cloud/credentials", body);
        if (created.statusCode() != 201) {
            throw new AssertionError("creating the AWS credential: " + created.statusCode() + " " + created.body());
        }
        int at = created.body().indexOf("\"id\":\"") + 6;
        return created.body().substring(at, created.body().indexOf('"', at));
    }

    /** Settings that send EC2 and STS here, with short timeouts and {@code attempts} attempts per call. */
    public AwsSettings settings(int attempts) {
        return new AwsSettings(url(), url(), null, false, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(3),
                Duration.ofSeconds(30), attempts, AwsSettings.MIN_PART_SIZE, "when-supported");
    }

    @Override
    public void close() {
        server.stop();
    }
}
