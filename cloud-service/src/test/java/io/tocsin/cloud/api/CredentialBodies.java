package io.tocsin.cloud.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Request bodies for each provider, with distinctive secrets that a test then searches for in every answer, log
 * line and topic payload. The Google Cloud key is a real RSA key generated per run, in the key file's PEM layout.
 */
public final class CredentialBodies {

    static final ObjectMapper JSON = new ObjectMapper();

    public static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/AWSSECRET0cafe0EXAMPLE";
    public static final String AWS_SESSION = "FwoGZXIvYXdzEJr//////////SESSIONTOKEN0beef0";
    public static final String GCP_KEY_ID = "PKID0f00d0a1b2c3d4e5f60718293a4b5c6d7e8f90";
    public static final String AZURE_SECRET = "jbzW9tj4AyXHDkfO/AZURESECRET0dead0eHROo2S4";
    /** A PKCS#8 RSA key in the key file's layout: base64 in lines of 64, "\n" line ends. */
    public static final String GCP_PRIVATE_KEY = pem(rsaKey());
    /** A piece of the key's base64 that only the key holds: what the searches look for. */
    public static final String GCP_KEY_MARKER = GCP_PRIVATE_KEY.split("\n")[5];

    private CredentialBodies() {
    }

    /** Every secret the bodies carry: none may be found in an answer, a log line or a topic. */
    public static List<String> secrets() {
        return List.of(AWS_SECRET, AWS_SESSION, GCP_KEY_ID, GCP_KEY_MARKER, AZURE_SECRET);
    }

    public static String aws(String name) {
        return body("aws", name, "eu-west-1", Map.of("accessKeyId", "AKIAIOSFODNN7EXAMPLE", "secretAccessKey", AWS_SECRET,
                "sessionToken", AWS_SESSION));
    }

    public static ObjectNode gcpKeyFile() {
        ObjectNode key = JSON.createObjectNode();
        key.put("type", "service_account");
        key.put("project_id", "tocsin-test");
        key.put("private_key_id", GCP_KEY_ID);
        key.put("private_key", GCP_PRIVATE_KEY);
        key.put("client_email", "tocsin@tocsin-test.iam.gserviceaccount.com");
        key.put("client_id", "104730019391736048612");
        key.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        key.put("token_uri", "https://oauth2.googleapis.com/token");
        key.put("auth_provider_x509_cert_url", "https://www.googleapis.com/oauth2/v1/certs");
        key.put("client_x509_cert_url", "https://www.googleapis.com/robot/v1/metadata/x509/tocsin%40tocsin-test.iam.gserviceaccount.com");
        key.put("universe_domain", "googleapis.com");
        return key;
    }

    public static String gcp(String name) {
        return body("gcp", name, "europe-west1-b", gcpKeyFile());
    }

    public static Map<String, String> azureFields() {
        return Map.of("application_id", "7f649053-1a2b-4c3d-8e9f-2179c1fa83b8", "client_secret", AZURE_SECRET,
                "tenant_id", "ce6b8358-1a2b-4c3d-8e9f-49b8c7a5cbc2", "subscription_id", "6fafe95c-1a2b-4c3d-8e9f-1c33daa1c2c3",
                "resource_group", "cc", "storage_account", "mybackupazure");
    }

    public static String azure(String name) {
        return body("azure", name, "westeurope", azureFields());
    }

    public static String body(String provider, String name, String region, Object credentials) {
        ObjectNode body = JSON.createObjectNode();
        body.put("provider", provider);
        body.put("name", name);
        body.put("comment", "made by a test");
        if (region != null) {
            body.put("defaultRegion", region);
        }
        body.set("credentials", JSON.valueToTree(credentials));
        return body.toString();
    }

    static byte[] rsaKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPrivate().getEncoded();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(byte[] pkcs8) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
    }
}
