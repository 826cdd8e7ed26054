package io.tocsin.cloud.provider.gcp;

import com.google.api.client.http.HttpResponseException;
import com.google.api.gax.httpjson.HttpJsonStatusCode;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.BaseServiceException;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudException.Kind;
import java.io.IOException;
import java.util.concurrent.ExecutionException;

/**
 * Google Cloud failures as {@link CloudException}s, by HTTP status with {@link Kind#forStatus} (Compute Engine and
 * Cloud Storage both speak HTTP/JSON here): 401/403 → {@code DENIED}; 404 → {@code NOT_FOUND}; 408, 429, 5xx,
 * timeouts and unreachable hosts → {@code UNAVAILABLE}; other 4xx → {@code INVALID}. A refusal of the token endpoint
 * (a 4xx for the JWT exchange: {@code invalid_grant}, a deleted key or account,
 * https://developers.google.com/identity/protocols/oauth2/service-account#error-codes) is {@code DENIED} whatever
 * its 4xx status, but 408 and 429 (and 5xx), which are {@code UNAVAILABLE}.
 *
 * <p>The message is {@code <action>: <service> answered HTTP <status>: <Google's error message>}: the error
 * message is taken from Google's JSON error body ({@code error.message}, or {@code error_description} of the token
 * endpoint), which names a permission, a resource or a reason and never a credential. The SDK exception stays the
 * cause, for the stack trace; neither carries the private key or a token (the test searches them).
 */
final class GcpErrors {

    private GcpErrors() {
    }

    /** What {@code action} (e.g. "stop instance web-1 in europe-west1-b") failing with {@code failure} means. */
    static CloudException of(String action, Throwable failure) {
        Throwable e = failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
        if (e instanceof CloudException cloud) {
            return cloud;
        }
        HttpResponseException token = find(e, HttpResponseException.class);
        if (token != null && fromAuthLibrary(e)) {
            int status = token.getStatusCode();
            // Any refusal of the key is DENIED; only a transient status (408, 429, 5xx) is worth a retry.
            Kind kind = Kind.forStatus(status) == Kind.UNAVAILABLE ? Kind.UNAVAILABLE : Kind.DENIED;
            return new CloudException(kind, action + ": the token endpoint refused the service account key (HTTP " + status + "): "
                    + detail(token.getContent(), token.getStatusMessage()), failure);
        }
        ApiException api = find(e, ApiException.class);
        if (api != null) {
            StatusCode code = api.getStatusCode();
            int status = code instanceof HttpJsonStatusCode http && http.getTransportCode() != null ? http.getTransportCode() : 0;
            Kind kind = status > 0 ? Kind.forStatus(status) : kind(code.getCode());
            // gax's message is the status line only; Google's words are in the HTTP response it wraps.
            HttpResponseException http = find(e, HttpResponseException.class);
            return new CloudException(kind, action + ": Compute Engine answered " + (status > 0 ? "HTTP " + status + " " : "")
                    + code.getCode() + ": " + detail(http != null ? http.getContent() : api.getMessage(), api.getMessage()), failure);
        }
        BaseServiceException service = find(e, BaseServiceException.class);
        if (service != null) {
            int status = service.getCode();
            Kind kind = Kind.forStatus(status); // 0: no answer (connection refused, timed out): UNAVAILABLE
            return new CloudException(kind, action + ": Cloud Storage " + (status > 0 ? "answered HTTP " + status : "could not be reached")
                    + ": " + detail(service.getMessage(), service.getReason()), failure);
        }
        IOException io = find(e, IOException.class);
        if (io != null) { // connection refused, reset, timed out (SocketTimeoutException)
            return new CloudException(Kind.UNAVAILABLE, action + ": Google Cloud could not be reached: " + io.getClass().getSimpleName()
                    + (io.getMessage() == null ? "" : ": " + firstLine(io.getMessage())), failure);
        }
        return new CloudException(Kind.UNAVAILABLE, action + ": the Google Cloud client failed: " + e.getClass().getName()
                + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())), failure);
    }

    /** Without an HTTP status (no answer): gax's canonical code, e.g. DEADLINE_EXCEEDED after the call timeout. */
    static Kind kind(StatusCode.Code code) {
        return switch (code) {
            case UNAUTHENTICATED, PERMISSION_DENIED -> Kind.DENIED;
            case NOT_FOUND -> Kind.NOT_FOUND;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, ALREADY_EXISTS, OUT_OF_RANGE -> Kind.INVALID;
            default -> Kind.UNAVAILABLE;
        };
    }

    /**
     * Google's own words from a JSON error body inside {@code text} ({@code {"error": {"message": ...}}} or the
     * token endpoint's {@code {"error": ..., "error_description": ...}}), else the text's first line.
     */
    static String detail(String text, String fallback) {
        if (text != null) {
            int start = text.indexOf('{');
            if (start >= 0) {
                try {
                    JsonElement body = JsonParser.parseString(text.substring(start));
                    if (body.isJsonObject()) {
                        JsonObject object = body.getAsJsonObject();
                        JsonElement error = object.get("error");
                        if (error != null && error.isJsonObject() && error.getAsJsonObject().has("message")) {
                            return error.getAsJsonObject().get("message").getAsString();
                        }
                        if (error != null && error.isJsonPrimitive()) {
                            return error.getAsString() + (object.has("error_description") ? ": " + object.get("error_description").getAsString() : "");
                        }
                    }
                } catch (RuntimeException notJson) {
                    // fall through to the first line
                }
            }
            if (!text.isBlank()) {
                return firstLine(text);
            }
        }
        return fallback == null ? "no detail" : fallback;
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static boolean fromAuthLibrary(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getPackageName().startsWith("com.google.auth")) {
                return true;
            }
        }
        return false;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
