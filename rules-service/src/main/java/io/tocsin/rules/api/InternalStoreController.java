package io.tocsin.rules.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;
import io.tocsin.common.http.ProblemException;
import io.tocsin.rules.streams.RulesStreams;
import io.tocsin.rules.view.StoreEntries;
import io.tocsin.rules.view.StoreQueries;
import io.tocsin.rules.view.ViewStore;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.InvalidRecordException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * {@code /api/v1/internal/stores}: how rules-service instances read each other's state-store partitions for the
 * unified view. Hidden from the OpenAPI document (an instance-to-instance protocol, not an API to build on), but
 * protected like every {@code /api} path (admin token; the asking instance passes on its caller's). Reads only this
 * instance's own partitions and never forwards, so two instances with stale metadata cannot bounce a request.
 *
 * <p>Error contract: 404 for a store the view does not read; 400 for bad partitions; 503 with Retry-After unless
 * this instance is active for every partition asked for.
 */
@Hidden
@Controller("/api/v1/internal/stores")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = RulesStreams.class)
public class InternalStoreController {

    /** More partitions than any topic here will have; bounds the parameter. */
    static final int MAX_PARTITION = 9_999;

    private final StoreQueries stores;

    public InternalStoreController(StoreQueries stores) {
        this.stores = stores;
    }

    /** This instance's entries of the given partitions of {@code store}. */
    @Get(value = "/{store}", produces = MediaType.APPLICATION_JSON)
    public StoreEntries entries(@PathVariable String store, @QueryValue String partitions) {
        return entriesOf(viewStore(store), parsePartitions(partitions));
    }

    /** This instance's entry under {@code key} in {@code partition} (no entries when there is none). */
    @Get(value = "/{store}/entry", produces = MediaType.APPLICATION_JSON)
    public StoreEntries entry(@PathVariable String store, @QueryValue String key, @QueryValue String partition) {
        Set<Integer> one = parsePartitions(partition);
        if (one.size() != 1) {
            throw new InvalidRecordException("partition", "must be one partition number");
        }
        return entryOf(viewStore(store), key, one.iterator().next());
    }

    private <V extends SpecificRecordBase> StoreEntries entriesOf(ViewStore<V> store, Set<Integer> partitions) {
        return StoreEntries.encode(store, partitions, stores.localEntries(store, partitions));
    }

    private <V extends SpecificRecordBase> StoreEntries entryOf(ViewStore<V> store, String key, int partition) {
        Map<String, V> found = stores.localGet(store, key, partition).map(value -> Map.of(key, value)).orElse(Map.of());
        return StoreEntries.encode(store, Set.of(partition), found);
    }

    private static ViewStore<?> viewStore(String name) {
        return ViewStore.named(name).orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND,
                "The view reads no store called '" + name + "'"));
    }

    private static Set<Integer> parsePartitions(String raw) {
        Set<Integer> partitions = new TreeSet<>();
        for (String part : raw.split(",")) {
            try {
                int partition = Integer.parseInt(part.strip());
                if (partition < 0 || partition > MAX_PARTITION) {
                    throw new NumberFormatException();
                }
                partitions.add(partition);
            } catch (NumberFormatException e) {
                throw new InvalidRecordException(List.of(new FieldError("partitions",
                        "must be comma-separated partition numbers from 0 to " + MAX_PARTITION)));
            }
        }
        return partitions;
    }
}
