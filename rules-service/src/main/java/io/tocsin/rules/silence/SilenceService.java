package io.tocsin.rules.silence;

import io.micronaut.http.HttpStatus;
import io.tocsin.common.http.ProblemException;
import io.tocsin.schema.Silence;
import io.tocsin.schema.wire.InvalidRecordException;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * What the silences API does: create, list, read and end silences, over the {@link SilenceStore}.
 *
 * <p>Error contract: {@link ProblemException} 404 for an unknown id, 409 for ending a silence that is over already
 * or for one silence more than {@code max-open}; {@link InvalidRecordException} (400) for a bad body or status filter.
 */
@Singleton
public class SilenceService {

    /** The statuses listed when the request names none: what still has an effect. */
    static final Set<SilenceStatus> DEFAULT_STATUSES = EnumSet.of(SilenceStatus.ACTIVE, SilenceStatus.PENDING);
    /** Newest first; the id keeps the order stable for silences created in the same millisecond. */
    private static final Comparator<Silence> NEWEST_FIRST = Comparator.comparing(Silence::getCreatedAt).reversed()
            .thenComparing(Silence::getId);

    private final SilenceStore store;
    private final SilenceSettings settings;

    public SilenceService(SilenceStore store, SilenceSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /** Creates a silence from a request body; returns it once Kafka and this instance have it. */
    public Silence create(byte[] body) {
        SilenceRequest request = SilenceRequest.read(body);
        Instant now = Instant.now();
        Silence silence = request.toSilence(UUID.randomUUID().toString(), now, settings.maxDuration());
        long open = store.all().stream().filter(existing -> SilenceStatus.of(existing, now) != SilenceStatus.EXPIRED).count();
        if (open >= settings.maxOpen()) {
            throw new ProblemException(HttpStatus.CONFLICT, "There are already " + open + " active or pending silences, the "
                    + "maximum (tocsin.rules.silences.max-open); end some, or widen one silence's matchers instead");
        }
        store.save(silence);
        return silence;
    }

    /**
     * The silences whose status at {@code now} is one of {@code statusFilter} (comma-separated {@code active},
     * {@code pending}, {@code expired}, or {@code all}; null or blank: active and pending), newest first.
     */
    public List<Silence> list(String statusFilter, Instant now) {
        Set<SilenceStatus> wanted = statuses(statusFilter);
        return store.all().stream().filter(silence -> wanted.contains(SilenceStatus.of(silence, now)))
                .sorted(NEWEST_FIRST).toList();
    }

    public Silence get(String id) {
        return store.find(id).orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND,
                "No silence with id " + id + " (GET /api/v1/silences?status=all lists them all)"));
    }

    /**
     * Ends a silence now: it is rewritten with {@code endsAt} = now and {@code endedEarly}. A pending one (not started)
     * gets {@code startsAt} = now too, an empty window, so it never takes effect.
     */
    public Silence end(String id) {
        Silence silence = get(id);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        if (SilenceStatus.of(silence, now) == SilenceStatus.EXPIRED) {
            throw new ProblemException(HttpStatus.CONFLICT, "Silence " + id + " is over already (it ended at "
                    + silence.getEndsAt() + (silence.getEndedEarly() ? ", ended early" : "") + "); nothing to end");
        }
        Silence ended = Silence.newBuilder(silence)
                .setStartsAt(silence.getStartsAt().isAfter(now) ? now : silence.getStartsAt())
                .setEndsAt(now)
                .setEndedEarly(true)
                .build();
        store.save(ended);
        return ended;
    }

    static Set<SilenceStatus> statuses(String filter) {
        if (filter == null || filter.isBlank()) {
            return DEFAULT_STATUSES;
        }
        Set<SilenceStatus> wanted = EnumSet.noneOf(SilenceStatus.class);
        for (String part : filter.split(",")) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            switch (name) {
                case "all" -> wanted.addAll(EnumSet.allOf(SilenceStatus.class));
                case "active" -> wanted.add(SilenceStatus.ACTIVE);
                case "pending" -> wanted.add(SilenceStatus.PENDING);
                case "expired" -> wanted.add(SilenceStatus.EXPIRED);
                default -> throw new InvalidRecordException("status", "must be active, pending, expired or all, or several "
                        + "of them separated by commas (got '" + (name.length() > 40 ? name.substring(0, 40) + "..." : name) + "')");
            }
        }
        return wanted;
    }
}
