package io.tocsin.cloud.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpStatus;
import io.tocsin.common.http.JsonBody;
import io.tocsin.common.http.ProblemException;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.InvalidRecordException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST} and {@code PUT /api/v1/cloud/credentials}, its shape checked: which fields exist and
 * that each has the right JSON type. What the provider needs inside {@code credentials} is checked afterwards by
 * {@link CredentialValidator}, once a {@code PUT}'s redacted secrets have been replaced by the stored ones.
 *
 * <p>The read-only fields of the resource ({@code id}, {@code createdAt}, {@code updatedAt}) are accepted so that a
 * client can send back the body a {@code GET} gave it; {@code id}, when present, is checked against the path.
 *
 * <p>Error contract: a body over {@value #MAX_BODY_BYTES} bytes → {@link ProblemException} 413; a body that is not
 * a JSON object, an unknown field, a missing or mistyped field → {@link InvalidRecordException} naming every such
 * field with its path ({@code name}, {@code credentials.private_key}). No message quotes a value.
 *
 * @param provider      the provider, null only when the body named none or an unknown one (then there are errors)
 * @param name          trimmed
 * @param comment       empty when absent
 * @param defaultRegion trimmed, empty when absent
 * @param credentials   the provider's fields as sent, every value a string
 * @param id            the body's {@code id}, null when absent
 */
public record CredentialRequest(Provider provider, String name, String comment, String defaultRegion,
                                Map<String, String> credentials, String id) {

    /** 64 KiB: a service account key file is about 2.4 KiB; anything much larger is not a credential. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_NAME = 200;
    static final int MAX_COMMENT = 2000;
    private static final Set<String> FIELDS = Set.of("provider", "name", "comment", "defaultRegion", "credentials",
            "id", "createdAt", "updatedAt");

    /**
     * Parses a body. Field problems are collected, not thrown, when {@code errors} is given, so the provider's
     * checks can add theirs to the same answer.
     */
    public static CredentialRequest read(byte[] body, List<FieldError> errors) {
        if (body != null && body.length > MAX_BODY_BYTES) {
            throw new ProblemException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "A credential body may have at most "
                    + MAX_BODY_BYTES + " bytes; this one has " + body.length,
                    List.of(new FieldError("", "is larger than " + MAX_BODY_BYTES + " bytes")));
        }
        JsonNode root = JsonBody.readObject(body, "provider, name and credentials");
        JsonBody.rejectUnknownFields(root, FIELDS, "a cloud credential", errors);

        Provider provider = null;
        String providerName = JsonBody.text(root, "provider", errors, true);
        if (providerName != null) {
            provider = Provider.fromApiName(providerName.trim()).orElse(null);
            if (provider == null) {
                errors.add(new FieldError("provider", "must be aws, gcp or azure"));
            }
        }
        String name = JsonBody.text(root, "name", errors, true);
        if (name != null && (name.isBlank() || name.trim().length() > MAX_NAME)) {
            errors.add(new FieldError("name", "must be 1 to " + MAX_NAME + " characters"));
        }
        String comment = JsonBody.text(root, "comment", errors, false);
        if (comment != null && comment.length() > MAX_COMMENT) {
            errors.add(new FieldError("comment", "must be at most " + MAX_COMMENT + " characters"));
        }
        String defaultRegion = JsonBody.text(root, "defaultRegion", errors, false);
        String id = JsonBody.text(root, "id", errors, false);
        for (String readOnly : List.of("createdAt", "updatedAt")) {
            JsonNode node = root.get(readOnly);
            if (node != null && !node.isNull() && !node.isTextual()) {
                errors.add(new FieldError(readOnly, "is read-only; when sent back it must be the string a GET gave"));
            }
        }
        return new CredentialRequest(provider, name == null ? "" : name.trim(), comment == null ? "" : comment,
                defaultRegion == null ? "" : defaultRegion.trim(), credentials(root, errors), id);
    }

    /** The {@code credentials} object's members, each required to be a string (a key file's fields all are). */
    private static Map<String, String> credentials(JsonNode root, List<FieldError> errors) {
        Map<String, String> fields = new LinkedHashMap<>();
        JsonNode node = root.get("credentials");
        if (node == null || node.isNull()) {
            errors.add(new FieldError("credentials", "is required: the provider's credential fields as a JSON object"));
            return fields;
        }
        if (!node.isObject()) {
            errors.add(new FieldError("credentials", "must be a JSON object of the provider's credential fields"));
            return fields;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isTextual()) {
                fields.put(field.getKey(), field.getValue().asText());
            } else {
                errors.add(new FieldError("credentials." + field.getKey(), "must be a string"));
            }
        }
        return fields;
    }

    /** Throws the collected errors, if any. */
    static void failOn(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(new ArrayList<>(errors));
        }
    }
}
