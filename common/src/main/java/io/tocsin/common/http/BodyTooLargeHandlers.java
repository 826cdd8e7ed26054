package io.tocsin.common.http;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.BufferLengthExceededException;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.http.server.exceptions.BufferLengthExceededHandler;
import io.micronaut.http.server.exceptions.ContentLengthExceededHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.tocsin.schema.wire.FieldError;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * 413 answers that say which limit a body broke and which setting sets it, instead of Micronaut's bare
 * {@code {"status":413}}.
 *
 * <p>Two limits apply, and the difference is why one server can take both 1 MB JSON bodies and 100 GB backups
 * (Micronaut has no per-route limit): every body an endpoint reads whole (all JSON APIs: ingest, credentials,
 * integrations, silences) is bounded by {@code micronaut.server.max-request-buffer-size} (1 MB, common's
 * {@code application.yml}); a body an endpoint streams (only {@code POST /api/v1/cloud/backups}) by
 * {@code micronaut.server.max-request-size}, which the cloud service and the standalone raise to
 * {@code tocsin.cloud.backups.max-size}. Both are checked against the declared {@code Content-Length} before the
 * body is read, and against the bytes received for a chunked body.
 */
public final class BodyTooLargeHandlers {

    static final String BUFFER_SETTING = "micronaut.server.max-request-buffer-size";
    static final String REQUEST_SETTING = "micronaut.server.max-request-size";

    private BodyTooLargeHandlers() {
    }

    static HttpResponse<Problem> problem(long limit, String setting, String what) {
        String detail = "The request body is larger than " + limit + " bytes, the most " + what + " (" + setting
                + "); send a smaller body";
        return Problem.response(HttpStatus.REQUEST_ENTITY_TOO_LARGE, detail,
                List.of(new FieldError("body", "is larger than " + limit + " bytes")));
    }

    /** A body read whole that is larger than {@code micronaut.server.max-request-buffer-size}. */
    @Produces(Problem.MEDIA_TYPE)
    @Singleton
    @Replaces(BufferLengthExceededHandler.class)
    @Requires(classes = ExceptionHandler.class)
    public static class Buffered implements ExceptionHandler<BufferLengthExceededException, HttpResponse<Problem>> {

        private final HttpServerConfiguration server;

        public Buffered(HttpServerConfiguration server) {
            this.server = server;
        }

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, BufferLengthExceededException exception) {
            return problem(server.getMaxRequestBufferSize(), BUFFER_SETTING, "a JSON body may have");
        }
    }

    /** Any body larger than {@code micronaut.server.max-request-size}. */
    @Produces(Problem.MEDIA_TYPE)
    @Singleton
    @Replaces(ContentLengthExceededHandler.class)
    @Requires(classes = ExceptionHandler.class)
    public static class Streamed implements ExceptionHandler<ContentLengthExceededException, HttpResponse<Problem>> {

        private final HttpServerConfiguration server;

        public Streamed(HttpServerConfiguration server) {
            this.server = server;
        }

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, ContentLengthExceededException exception) {
            return problem(server.getMaxRequestSize(), REQUEST_SETTING, "this server accepts");
        }
    }
}
