package io.tocsin.rules.api;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;

/** What the view passes on of the caller when it asks the other instances: its credentials. */
final class Callers {

    private Callers() {
    }

    /** The request's {@code Authorization} header (checked by the token filter already), or null. */
    static String authorization(HttpRequest<?> request) {
        return request.getHeaders().get(HttpHeaders.AUTHORIZATION);
    }
}
