package io.tocsin.rules.silence;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tocsin.common.http.JsonBody;
import io.tocsin.schema.Silence;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.InvalidRecordException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The body of {@code POST /api/v1/silences}. Read by hand from the JSON tree ({@link #read}) so that every problem
 * is reported at once with its field, including unknown fields: a typo such as {@code hostname} for {@code host}
 * must not silently widen a silence to every host.
 *
 * <p>Error contract: {@link #read} and {@link #toSilence} throw {@link InvalidRecordException} (answered 400
 * problem+json) naming each offending field; {@code body} when the body is not a JSON object or gives no matcher.
 */
@Serdeable
@Schema(name = "SilenceRequest", description = "A maintenance window as a client sends it: at least one matcher, "
        + "an end (endsAt or duration), an author")
public record SilenceRequest(
        @Nullable @Schema(description = "Glob (* and ?) on the alarm's cluster; absent = any", example = "prod-galera") String cluster,
        @Nullable @Schema(description = "Glob on the alarm's hostname; absent = any", example = "db*.example.org") String host,
        @Nullable @Schema(description = "Glob on the alarm type; absent = any", example = "MySql*") String type,
        @Nullable @Schema(description = "Glob matched against each of the alarm's categories, ignoring case; absent = any",
                example = "Database Health") String category,
        @Nullable @Schema(description = "Glob on the alarm's source (the producer); absent = any", example = "cc-1") String source,
        @Nullable @Schema(description = "Start (ISO-8601 instant); default now", example = "2026-11-20T22:00:00Z") Instant startsAt,
        @Nullable @Schema(description = "End, exclusive (ISO-8601 instant); give this or duration", example = "2026-11-21T02:00:00Z")
        Instant endsAt,
        @Nullable @Schema(type = "string", description = "Length from startsAt (ISO-8601 duration); give this or endsAt",
                example = "PT2H") Duration duration,
        @Schema(description = "Who creates the silence (1-200 characters)", example = "alice") String author,
        @Nullable @Schema(description = "Why (at most 2000 characters)", example = "Kernel upgrade of the Galera nodes") String comment) {

    static final int MAX_MATCHER = 200;
    static final int MAX_AUTHOR = 200;
    static final int MAX_COMMENT = 2000;
    private static final int MAX_TIME_TEXT = 64;
    static final List<String> MATCHERS = List.of("cluster", "host", "type", "category", "source");
    private static final Set<String> FIELDS = new TreeSet<>(List.of("cluster", "host", "type", "category", "source",
            "startsAt", "endsAt", "duration", "author", "comment"));

    /** Parses the body and checks each field on its own; the window as a whole is checked by {@link #toSilence}. */
    public static SilenceRequest read(byte[] body) {
        JsonNode root = JsonBody.readObject(body, "at least one matcher (" + String.join(", ", MATCHERS)
                + "), endsAt or duration, and author");
        List<FieldError> errors = new ArrayList<>();
        JsonBody.rejectUnknownFields(root, FIELDS, "a silence", errors);
        String cluster = matcher(root, "cluster", errors);
        String host = matcher(root, "host", errors);
        String type = matcher(root, "type", errors);
        String category = matcher(root, "category", errors);
        String source = matcher(root, "source", errors);
        if (MATCHERS.stream().allMatch(field -> root.get(field) == null || root.get(field).isNull())) {
            errors.add(new FieldError("", "needs at least one matcher: " + String.join(", ", MATCHERS)
                    + " (to silence every alarm, give \"cluster\": \"*\")"));
        }
        Instant startsAt = instant(root, "startsAt", errors);
        Instant endsAt = instant(root, "endsAt", errors);
        Duration duration = duration(root, errors);
        boolean hasEnd = present(root, "endsAt");
        boolean hasDuration = present(root, "duration");
        if (hasEnd && hasDuration) {
            errors.add(new FieldError("duration", "give endsAt or duration, not both"));
        } else if (!hasEnd && !hasDuration) {
            errors.add(new FieldError("endsAt", "is required, or give duration instead (an ISO-8601 duration such as PT2H)"));
        }
        String author = text(root, "author", errors, true, MAX_AUTHOR);
        String comment = text(root, "comment", errors, false, MAX_COMMENT);
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        return new SilenceRequest(cluster, host, type, category, source, startsAt, endsAt, duration, author,
                comment == null ? "" : comment);
    }

    /**
     * The silence this request creates at {@code now}: starting at {@code startsAt} or now, ending at {@code endsAt}
     * or {@code startsAt + duration}. Refused when the end is not in the future, is not after the start, or the window
     * is longer than {@code maxDuration}; the error names {@code endsAt} or {@code duration}, whichever was given.
     */
    public Silence toSilence(String id, Instant now, Duration maxDuration) {
        Instant created = now.truncatedTo(ChronoUnit.MILLIS);
        Instant start = startsAt != null ? startsAt : created;
        String endField = endsAt != null ? "endsAt" : "duration";
        if (duration != null && duration.compareTo(maxDuration) > 0) {
            // Checked before adding it to the start: an absurd duration would overflow Instant.
            throw new InvalidRecordException("duration", tooLong(duration, maxDuration));
        }
        Instant end = endsAt != null ? endsAt : start.plus(duration).truncatedTo(ChronoUnit.MILLIS);
        List<FieldError> errors = new ArrayList<>();
        if (!end.isAfter(created)) {
            errors.add(new FieldError(endField, (endsAt != null ? "is" : "startsAt + duration is") + " in the past ("
                    + end + "; now is " + created + "): a silence must end in the future"));
        } else if (!end.isAfter(start)) {
            errors.add(new FieldError("endsAt", "must be after startsAt (" + start + ")"));
        } else if (Duration.between(start, end).compareTo(maxDuration) > 0) {
            errors.add(new FieldError(endField, tooLong(Duration.between(start, end), maxDuration)));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        return Silence.newBuilder()
                .setId(id)
                .setCluster(cluster).setHost(host).setType(type).setCategory(category).setSource(source)
                .setStartsAt(start).setEndsAt(end)
                .setAuthor(author).setComment(comment == null ? "" : comment)
                .setCreatedAt(created).setEndedEarly(false)
                .build();
    }

    private static String tooLong(Duration window, Duration maxDuration) {
        return "makes a window of " + window + ", longer than the maximum " + maxDuration
                + " (tocsin.rules.silences.max-duration); create a shorter silence and renew it";
    }

    private static boolean present(JsonNode root, String field) {
        return root.get(field) != null && !root.get(field).isNull();
    }

    private static String matcher(JsonNode root, String field, List<FieldError> errors) {
        String glob = text(root, field, errors, false, MAX_MATCHER);
        if (glob != null && glob.isEmpty()) {
            errors.add(new FieldError(field, "must not be empty; leave it out to match any " + field));
            return null;
        }
        return glob;
    }

    private static String text(JsonNode root, String field, List<FieldError> errors, boolean required, int max) {
        String text = JsonBody.text(root, field, errors, required);
        if (text == null) {
            return null;
        }
        String value = text.strip();
        if (required && value.isEmpty()) {
            errors.add(new FieldError(field, "must not be blank"));
            return null;
        }
        if (value.length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
            return null;
        }
        return value;
    }

    private static Instant instant(JsonNode root, String field, List<FieldError> errors) {
        String text = timeText(root, field, errors);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text).truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 instant such as 2026-11-20T22:00:00Z"));
            return null;
        }
    }

    private static Duration duration(JsonNode root, List<FieldError> errors) {
        String text = timeText(root, "duration", errors);
        if (text == null) {
            return null;
        }
        try {
            Duration duration = Duration.parse(text);
            if (duration.isNegative() || duration.isZero()) {
                errors.add(new FieldError("duration", "must be positive, such as PT2H"));
                return null;
            }
            return duration;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("duration", "must be an ISO-8601 duration such as PT2H, PT30M or P1D"));
            return null;
        }
    }

    private static String timeText(JsonNode root, String field, List<FieldError> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().length() > MAX_TIME_TEXT) {
            errors.add(new FieldError(field, "must be a string of at most " + MAX_TIME_TEXT + " characters"));
            return null;
        }
        return node.asText().strip();
    }
}
