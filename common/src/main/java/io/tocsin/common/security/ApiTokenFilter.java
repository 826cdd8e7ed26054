package io.tocsin.common.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.tocsin.common.http.Problem;

/**
 * Every {@code /api/**} request needs {@code Authorization: Bearer <token>}: the ingest or admin token under
 * {@code /api/v1/ingest/}, the admin token elsewhere. {@code /health} and {@code /prometheus} need none (probes
 * and scrapers). A missing or wrong token gets 401 problem+json; nothing of the request is processed. Under
 * {@code /api/v1/ingest/} only, a sender that can be configured with nothing but a URL may put the ingest token in
 * the query parameter {@code access_token} instead (RFC 6750 section 2.3).
 */
@ServerFilter("/api/**")
public class ApiTokenFilter {

    static final String INGEST_PREFIX = "/api/v1/ingest/";
    private static final String BEARER = "Bearer ";
    static final String ACCESS_TOKEN = "access_token";

    private final ApiTokens tokens;

    public ApiTokenFilter(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<Problem> authenticate(HttpRequest<?> request) {
        ApiTokens.Role needed = request.getPath().startsWith(INGEST_PREFIX) ? ApiTokens.Role.INGEST : ApiTokens.Role.ADMIN;
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        String token = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).strip() : null;
        if (token == null && needed == ApiTokens.Role.INGEST) {
            // RFC 6750 section 2.3 (URI query parameter), for senders that can be given only a URL, such as
            // ClusterControl's webhook integration (seed 000). Ingest only: an admin token never goes in a URL.
            token = request.getParameters().get(ACCESS_TOKEN);
        }
        if (tokens.grants(token, needed)) {
            return null;
        }
        String detail = token == null
                ? "This endpoint needs 'Authorization: Bearer <token>' with the " + needed.name().toLowerCase() + " token"
                : "The token does not grant " + needed.name().toLowerCase() + " access";
        return Problem.response(HttpStatus.UNAUTHORIZED, detail).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tocsin\"");
    }
}
