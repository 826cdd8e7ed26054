package io.tocsin.cloud.credentials;

import io.tocsin.schema.wire.FieldError;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What each provider's credential must hold, checked before anything is stored, so that a typo or a truncated
 * paste is refused at once instead of failing on the first provider call. Only the shapes the providers document
 * are enforced (links below): a value that could be valid is never refused.
 *
 * <p>Error contract: {@link #validate} returns every problem, each naming its field with its path
 * ({@code credentials.secretAccessKey}, {@code credentials.private_key}, {@code defaultRegion}); it never throws
 * and no message quotes a value (secret or not: the same message serves both).
 */
public final class CredentialValidator {

    static final Set<String> AWS_FIELDS = Set.of("accessKeyId", "secretAccessKey", "sessionToken");
    static final Set<String> AZURE_FIELDS = Set.of("application_id", "client_secret", "tenant_id", "subscription_id",
            "resource_group", "storage_account");
    static final String GCP_TYPE = "service_account";

    /** IAM API, AccessKey: "Length Constraints: Minimum length of 16. Maximum length of 128. Pattern: [\w]+"
     *  (https://docs.aws.amazon.com/IAM/latest/APIReference/API_AccessKey.html). */
    private static final Pattern AWS_ACCESS_KEY_ID = Pattern.compile("\\w{16,128}");
    /** The same page documents no format for the secret (keys issued today are 40 characters of base64); only
     *  what cannot be part of a key is refused: whitespace and control characters, i.e. a bad copy and paste. */
    private static final Pattern NO_BLANKS = Pattern.compile("\\S{1,4096}");
    /** AWS region names (us-east-1, us-gov-west-1, ap-southeast-5, eusc-de-east-1): the SDK's Region.of accepts
     *  any string, so the shape is what a typo most likely breaks (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html). */
    private static final Pattern AWS_REGION = Pattern.compile("[a-z]{2,}(-[a-z]+)+-\\d{1,2}");
    /** Compute Engine region (europe-west1) or zone (europe-west1-b): https://cloud.google.com/compute/docs/regions-zones. */
    private static final Pattern GCP_LOCATION = Pattern.compile("[a-z]+-[a-z]+\\d+(-[a-z])?");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    /** Azure location names as {@code az account list-locations --query "[].name"} prints them (westeurope, eastus2). */
    private static final Pattern AZURE_LOCATION = Pattern.compile("[a-z][a-z0-9]{1,63}");
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** Resource group names: 1-90 of letters, digits, underscores, parentheses, hyphens and periods, not ending in
     *  a period (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules). */
    private static final Pattern AZURE_RESOURCE_GROUP = Pattern.compile("[-\\w.()]{0,89}[-\\w()]", Pattern.UNICODE_CHARACTER_CLASS);
    /** Storage account names: 3-24 lowercase letters and digits (same page). */
    private static final Pattern AZURE_STORAGE_ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
    private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PEM_END = "-----END PRIVATE KEY-----";

    private CredentialValidator() {
    }

    /**
     * Every problem of a credential's fields and default region for {@code provider}; empty when it can be stored.
     * Empty values count as absent.
     */
    public static List<FieldError> validate(Provider provider, String defaultRegion, Map<String, String> fields) {
        List<FieldError> errors = new ArrayList<>();
        switch (provider) {
            case AWS -> aws(defaultRegion, fields, errors);
            case GCP -> gcp(defaultRegion, fields, errors);
            case AZURE -> azure(defaultRegion, fields, errors);
        }
        return errors;
    }

    private static void aws(String region, Map<String, String> fields, List<FieldError> errors) {
        onlyKnown(fields, AWS_FIELDS, "an AWS credential", errors);
        check(fields, "accessKeyId", true, AWS_ACCESS_KEY_ID, "must be 16 to 128 letters, digits or underscores (the access key ID, e.g. AKIA...)", errors);
        check(fields, "secretAccessKey", true, NO_BLANKS, "must be the secret access key without spaces or line breaks", errors);
        check(fields, "sessionToken", false, NO_BLANKS, "must be the session token without spaces or line breaks", errors);
        if (region.isEmpty()) {
            errors.add(new FieldError("defaultRegion", "is required for AWS: the region used when a request names none, e.g. eu-west-1"));
        } else if (!AWS_REGION.matcher(region).matches()) {
            errors.add(new FieldError("defaultRegion", "must be an AWS region name, e.g. eu-west-1 or us-gov-west-1"));
        }
    }

    /** A service account key file as downloaded: https://cloud.google.com/iam/docs/keys-create-delete. */
    private static void gcp(String region, Map<String, String> fields, List<FieldError> errors) {
        String type = fields.getOrDefault("type", "");
        if (type.isEmpty()) {
            errors.add(new FieldError("credentials.type", "is required: the key file says \"service_account\""));
        } else if (!type.equals(GCP_TYPE)) {
            errors.add(new FieldError("credentials.type", "must be \"service_account\": only service account key files are supported"));
        }
        check(fields, "project_id", true, NO_BLANKS, "must be the project ID from the key file", errors);
        check(fields, "client_email", true, EMAIL, "must be the service account's e-mail address from the key file", errors);
        String privateKey = fields.getOrDefault("private_key", "");
        if (privateKey.isEmpty()) {
            errors.add(new FieldError("credentials.private_key", "is required: the key file's PEM private key"));
        } else if (!isPkcs8RsaKey(privateKey)) {
            errors.add(new FieldError("credentials.private_key", "must be the key file's RSA private key, PEM "
                    + PEM_BEGIN + " ... " + PEM_END + " (PKCS#8), with its line breaks as \\n"));
        }
        String tokenUri = fields.getOrDefault("token_uri", "");
        if (!tokenUri.isEmpty() && !io.tocsin.cloud.provider.gcp.GcpCredentials.isGoogleTokenEndpoint(tokenUri)) {
            // The signed JWT names Google's endpoint as audience whatever token_uri says: sent elsewhere, it could be replayed.
            errors.add(new FieldError("credentials.token_uri", "must be Google's token endpoint (https://oauth2.googleapis.com/token "
                    + "in key files); a private endpoint is the setting tocsin.cloud.gcp.token-endpoint"));
        }
        if (!region.isEmpty() && !GCP_LOCATION.matcher(region).matches()) {
            errors.add(new FieldError("defaultRegion", "must be a Google Cloud region or zone, e.g. europe-west1 or europe-west1-b"));
        }
    }

    /** Seed 000's Azure JSON: an application (service principal) with a client secret, and where it may act. */
    private static void azure(String region, Map<String, String> fields, List<FieldError> errors) {
        onlyKnown(fields, AZURE_FIELDS, "an Azure credential", errors);
        for (String id : List.of("application_id", "tenant_id", "subscription_id")) {
            check(fields, id, true, GUID, "must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx) as the Azure portal shows it", errors);
        }
        check(fields, "client_secret", true, NO_BLANKS, "must be the client secret's value without spaces or line breaks", errors);
        check(fields, "resource_group", true, AZURE_RESOURCE_GROUP,
                "must be a resource group name: 1 to 90 letters, digits, _ ( ) - or ., not ending in .", errors);
        check(fields, "storage_account", false, AZURE_STORAGE_ACCOUNT, "must be a storage account name: 3 to 24 lowercase letters and digits", errors);
        if (!region.isEmpty() && !AZURE_LOCATION.matcher(region).matches()) {
            errors.add(new FieldError("defaultRegion", "must be an Azure location name, e.g. westeurope (az account list-locations)"));
        }
    }

    private static void onlyKnown(Map<String, String> fields, Set<String> known, String noun, List<FieldError> errors) {
        String names = String.join(", ", known.stream().sorted().toList());
        fields.keySet().stream().filter(field -> !known.contains(field)).sorted().forEach(field ->
                errors.add(new FieldError("credentials." + field, "is not a field of " + noun + " (fields: " + names + ")")));
    }

    private static void check(Map<String, String> fields, String field, boolean required, Pattern shape, String message,
                              List<FieldError> errors) {
        String value = fields.getOrDefault(field, "");
        if (value.isEmpty()) {
            if (required) {
                errors.add(new FieldError("credentials." + field, "is required"));
            }
        } else if (!shape.matcher(value).matches()) {
            errors.add(new FieldError("credentials." + field, message));
        }
    }

    /**
     * Whether a PEM text is an RSA private key in PKCS#8, what service account key files hold and what the Google
     * auth library reads. The decoded key bytes are wiped after the check.
     */
    static boolean isPkcs8RsaKey(String pem) {
        String text = pem.strip();
        if (!text.startsWith(PEM_BEGIN) || !text.endsWith(PEM_END) || text.length() <= PEM_BEGIN.length() + PEM_END.length()) {
            return false;
        }
        byte[] der = null;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(PEM_BEGIN.length(), text.length() - PEM_END.length()));
            return der.length > 0 && KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)) != null;
        } catch (IllegalArgumentException | InvalidKeySpecException e) {
            return false;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is not available in this JVM", e);
        } finally {
            if (der != null) {
                Arrays.fill(der, (byte) 0);
            }
        }
    }
}
