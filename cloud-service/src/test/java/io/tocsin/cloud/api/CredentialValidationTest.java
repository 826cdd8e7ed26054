package io.tocsin.cloud.api;

import static io.tocsin.cloud.api.CredentialBodies.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tocsin.testing.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and incomplete credentials of each provider are refused with 400 problem+json naming every bad field
 * and nothing else, without quoting a secret; values the providers document as valid are accepted.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CredentialValidationTest {

    static final String PATH = CredentialController.PATH;
    static CloudServiceHarness cloud;

    @BeforeAll
    static void start() {
        cloud = new CloudServiceHarness().start();
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    static String aws(Consumer<Map<String, Object>> change) {
        return edited("aws", "eu-west-1", Map.of("accessKeyId", "AKIAIOSFODNN7EXAMPLE", "secretAccessKey", CredentialBodies.AWS_SECRET), change);
    }

    static String gcp(Consumer<Map<String, Object>> change) {
        Map<String, Object> key = new HashMap<>();
        CredentialBodies.gcpKeyFile().fields().forEachRemaining(field -> key.put(field.getKey(), field.getValue().asText()));
        return edited("gcp", null, key, change);
    }

    static String azure(Consumer<Map<String, Object>> change) {
        return edited("azure", null, CredentialBodies.azureFields(), change);
    }

    static String edited(String provider, String region, Map<String, ?> fields, Consumer<Map<String, Object>> change) {
        Map<String, Object> credentials = new HashMap<>(fields);
        change.accept(credentials);
        return CredentialBodies.body(provider, "n" + System.nanoTime(), region, credentials);
    }

    static String top(String body, Consumer<ObjectNode> change) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(body);
            change.accept(node);
            return node.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String base64) {
        return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
    }

    static Stream<Arguments> refused() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        String ecKey = CredentialBodies.pem(ec.generateKeyPair().getPrivate().getEncoded());
        String rsaKeyAsRsaPrivateKey = CredentialBodies.GCP_PRIVATE_KEY.replace("BEGIN PRIVATE", "BEGIN RSA PRIVATE")
                .replace("END PRIVATE", "END RSA PRIVATE");
        return Stream.of(
                // AWS
                Arguments.of("aws: no secret", aws(c -> c.remove("secretAccessKey")), List.of("credentials.secretAccessKey")),
                Arguments.of("aws: short key id", aws(c -> c.put("accessKeyId", "AKIA1234")), List.of("credentials.accessKeyId")),
                Arguments.of("aws: key id with a dash", aws(c -> c.put("accessKeyId", "AKIA-IOSFODNN7EXAMPLE")), List.of("credentials.accessKeyId")),
                Arguments.of("aws: secret with a line break", aws(c -> c.put("secretAccessKey", CredentialBodies.AWS_SECRET + "\n")),
                        List.of("credentials.secretAccessKey")),
                Arguments.of("aws: a typo", aws(c -> c.put("secretKey", c.remove("secretAccessKey"))),
                        List.of("credentials.secretKey", "credentials.secretAccessKey")),
                Arguments.of("aws: a number", aws(c -> c.put("accessKeyId", 12345678901234567L)), List.of("credentials.accessKeyId")),
                Arguments.of("aws: no region", top(aws(c -> { }), b -> b.remove("defaultRegion")), List.of("defaultRegion")),
                Arguments.of("aws: a region by its label", top(aws(c -> { }), b -> b.put("defaultRegion", "Europe (Ireland)")), List.of("defaultRegion")),
                Arguments.of("aws: nothing", top(aws(c -> { }), b -> b.set("credentials", JSON.createObjectNode())),
                        List.of("credentials.accessKeyId", "credentials.secretAccessKey")),
                // Google Cloud
                Arguments.of("gcp: a user credential", gcp(c -> c.put("type", "authorized_user")), List.of("credentials.type")),
                Arguments.of("gcp: no private key", gcp(c -> c.remove("private_key")), List.of("credentials.private_key")),
                Arguments.of("gcp: not PEM", gcp(c -> c.put("private_key", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC")), List.of("credentials.private_key")),
                Arguments.of("gcp: PEM of garbage", gcp(c -> c.put("private_key", pem("bm90IGEga2V5IGF0IGFsbA=="))), List.of("credentials.private_key")),
                Arguments.of("gcp: an EC key", gcp(c -> c.put("private_key", ecKey)), List.of("credentials.private_key")),
                Arguments.of("gcp: PKCS#1 armour", gcp(c -> c.put("private_key", rsaKeyAsRsaPrivateKey)), List.of("credentials.private_key")),
                Arguments.of("gcp: truncated key", gcp(c -> c.put("private_key", CredentialBodies.GCP_PRIVATE_KEY.substring(0, 700)
                        + "\n-----END PRIVATE KEY-----\n")), List.of("credentials.private_key")),
                Arguments.of("gcp: no e-mail, no project", gcp(c -> {
                    c.remove("client_email");
                    c.put("project_id", "");
                }), List.of("credentials.client_email", "credentials.project_id")),
                Arguments.of("gcp: e-mail without @", gcp(c -> c.put("client_email", "tocsin.iam.gserviceaccount.com")), List.of("credentials.client_email")),
                Arguments.of("gcp: token_uri not Google's", gcp(c -> c.put("token_uri", "https://collector.example.org/token")),
                        List.of("credentials.token_uri")),
                Arguments.of("gcp: token_uri over http", gcp(c -> c.put("token_uri", "http://oauth2.googleapis.com/token")),
                        List.of("credentials.token_uri")),
                Arguments.of("gcp: non-string fields", gcp(c -> {
                    c.put("client_id", 104730019391736048L);
                    c.put("extra", Map.of("nested", "object"));
                }), List.of("credentials.client_id", "credentials.extra")),
                Arguments.of("gcp: the file as a string", top(gcp(c -> { }), b -> b.put("credentials", b.get("credentials").toString())),
                        List.of("credentials")),
                Arguments.of("gcp: a bad zone", top(gcp(c -> { }), b -> b.put("defaultRegion", "Europe West")), List.of("defaultRegion")),
                // Azure
                Arguments.of("azure: tenant not a GUID", azure(c -> c.put("tenant_id", "contoso.onmicrosoft")), List.of("credentials.tenant_id")),
                Arguments.of("azure: masked ids from the docs", azure(c -> c.put("application_id", "7f649053-xxxx-xxxx-xxxx-2179c1fa83b8")),
                        List.of("credentials.application_id")),
                Arguments.of("azure: missing secret and subscription", azure(c -> {
                    c.remove("client_secret");
                    c.remove("subscription_id");
                }), List.of("credentials.client_secret", "credentials.subscription_id")),
                Arguments.of("azure: storage account with capitals", azure(c -> c.put("storage_account", "My_Backups")),
                        List.of("credentials.storage_account")),
                Arguments.of("azure: resource group ending in a period", azure(c -> c.put("resource_group", "cc.")), List.of("credentials.resource_group")),
                Arguments.of("azure: a camel-case typo", azure(c -> c.put("clientSecret", c.remove("client_secret"))),
                        List.of("credentials.clientSecret", "credentials.client_secret")),
                Arguments.of("azure: a display name as location", top(azure(c -> { }), b -> b.put("defaultRegion", "West Europe")), List.of("defaultRegion")),
                // The envelope
                Arguments.of("unknown provider", top(aws(c -> { }), b -> b.put("provider", "openstack")), List.of("provider")),
                Arguments.of("no provider, no name", top(aws(c -> { }), b -> {
                    b.remove("provider");
                    b.remove("name");
                }), List.of("provider", "name")),
                Arguments.of("long name and comment", top(aws(c -> { }), b -> {
                    b.put("name", "n".repeat(201));
                    b.put("comment", "c".repeat(2001));
                }), List.of("name", "comment")),
                Arguments.of("a top-level typo", top(aws(c -> { }), b -> b.put("region", "eu-west-1")), List.of("region")),
                Arguments.of("no credentials", top(aws(c -> { }), b -> b.remove("credentials")), List.of("credentials")),
                Arguments.of("not JSON", "{\"provider\": \"aws\", ", List.of("body")),
                Arguments.of("an array", "[" + aws(c -> { }) + "]", List.of("body")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedNamingEveryBadField(String what, String body, List<String> fields) throws Exception {
        HttpResponse<String> refused = cloud.call("POST", PATH, body);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(fields(refused)).containsExactlyInAnyOrderElementsOf(fields);
        for (String secret : CredentialBodies.secrets()) {
            assertThat(refused.body()).doesNotContain(secret);
        }
    }

    @Test
    void whatTheProvidersDocumentAsValidIsAccepted() throws Exception {
        List<String> accepted = List.of(
                // Temporary credentials (ASIA... with a session token), a GovCloud and a sovereign-cloud region.
                top(aws(c -> {
                    c.put("accessKeyId", "ASIAY34FZKBOKMUTVV7A");
                    c.put("sessionToken", CredentialBodies.AWS_SESSION);
                }), b -> b.put("defaultRegion", "us-gov-west-1")),
                top(aws(c -> c.put("accessKeyId", "AKIA_lower_case_0123456789")), b -> b.put("defaultRegion", "eusc-de-east-1")),
                // Only the four fields that matter, no region; and one with a field this version does not know.
                gcp(c -> c.keySet().retainAll(List.of("type", "project_id", "private_key", "client_email"))),
                top(gcp(c -> c.put("quota_project_id", "billing-project")), b -> b.put("defaultRegion", "us-central1")),
                // No storage account; a resource group with parentheses and non-ASCII letters; upper-case GUIDs.
                azure(c -> {
                    c.remove("storage_account");
                    c.put("resource_group", "prod_(Zürich)-1.a");
                    c.put("tenant_id", "CE6B8358-1A2B-4C3D-8E9F-49B8C7A5CBC2");
                }));
        for (String body : accepted) {
            HttpResponse<String> created = cloud.call("POST", PATH, body);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        JsonNode list = JSON.readTree(cloud.call("GET", PATH, null).body());
        assertThat(list.findValuesAsText("quota_project_id")).as("a key file's other string fields are kept").containsExactly("billing-project");
    }

    static List<String> fields(HttpResponse<String> response) throws Exception {
        List<String> fields = new ArrayList<>();
        JSON.readTree(response.body()).get("errors").forEach(error -> fields.add(error.get("field").asText()));
        return fields;
    }
}
