package io.tocsin.rules.topology;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A write-behind view of a status store (hosts, sources): a status changes on every record, and writing it each
 * time would add a changelog record per input record on the hot path, so changes stay in memory and reach the store
 * on {@link #flush()} (a wall-clock punctuation). After a crash the store is at most one flush period behind, which
 * the next records repair. Owned by one stream task; not thread-safe.
 *
 * @param <V> the status record (mutable Avro record, changed in place)
 */
final class StatusTable<V> {

    /** Beyond this many cached entries a flush empties the cache; they are all in the store by then. */
    private static final int MAX_CACHED = 10_000;

    private final KeyValueStore<String, V> store;
    private final Function<String, V> fresh;
    private final UnaryOperator<V> loaded;
    private final Map<String, V> cache = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();

    /**
     * @param fresh  the status of a key seen for the first time
     * @param loaded prepares a status read from the store for changes in place (e.g. copies immutable lists)
     */
    StatusTable(KeyValueStore<String, V> store, Function<String, V> fresh, UnaryOperator<V> loaded) {
        this.store = store;
        this.fresh = fresh;
        this.loaded = loaded;
    }

    /** The status of {@code key} to read or change in place; call {@link #changed(String)} after a change. */
    V get(String key) {
        V status = cache.get(key);
        if (status == null) {
            V stored = store.get(key);
            status = stored == null ? fresh.apply(key) : loaded.apply(stored);
            cache.put(key, status);
        }
        return status;
    }

    void changed(String key) {
        dirty.add(key);
    }

    void flush() {
        for (String key : dirty) {
            store.put(key, cache.get(key));
        }
        dirty.clear();
        if (cache.size() > MAX_CACHED) {
            cache.clear();
        }
    }

    /** Every status of this task: the in-memory one where it exists, else the stored one. */
    Collection<V> all() {
        Map<String, V> all = new LinkedHashMap<>();
        try (KeyValueIterator<String, V> stored = store.all()) {
            while (stored.hasNext()) {
                KeyValue<String, V> entry = stored.next();
                all.put(entry.key, cache.getOrDefault(entry.key, entry.value));
            }
        }
        cache.forEach(all::putIfAbsent);
        return all.values();
    }
}
