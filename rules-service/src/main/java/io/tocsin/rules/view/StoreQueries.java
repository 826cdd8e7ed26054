package io.tocsin.rules.view;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import io.tocsin.common.http.ProblemException;
import io.tocsin.rules.streams.RulesStreams;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.UnknownStateStoreException;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Reads the view's state stores across every rules-service instance, the one piece of code all endpoints use.
 * Each partition of a store is held (active) by one instance; the Streams metadata says which:
 * <ul>
 *   <li>{@link #get}: the instance active for the key's partition answers, this one directly or another over
 *       HTTP ({@code GET /api/v1/internal/stores/{store}/entry});</li>
 *   <li>{@link #all}: scatter-gather; every instance is asked for exactly the partitions the metadata gives it
 *       ({@code GET /api/v1/internal/stores/{store}?partitions=...}), in parallel, and must answer for every one.</li>
 * </ul>
 * Reads use interactive queries v2 with {@code requireActive()} and explicit partitions, so a partition that is
 * restoring, moved away or not assigned yet fails the read instead of silently leaving its entries out.
 *
 * <p>Error contract: while any needed partition cannot be read (rebalancing, restoring, a peer not answering
 * within {@code tocsin.rules.view.peer-timeout}) a {@link StoreUnavailableException} (503 with Retry-After); a
 * peer answering something other than entries or 503 gives a {@link ProblemException} 502; a store the topology
 * does not have gives a {@link ProblemException} 500.
 *
 * <p>Without an advertised address (a random HTTP port and no {@code tocsin.rules.advertised-address}) Streams keeps
 * no metadata: the instance cannot be reached by others, knows no peers and answers from the partitions it is
 * active for, which for a single instance are all of them.
 */
@Singleton
@Requires(beans = RulesStreams.class)
public class StoreQueries {

    /** What Streams reports as the owner of a partition no instance is active for. */
    private static final HostInfo UNKNOWN_HOST = HostInfo.unavailable();

    private final RulesStreams rules;
    private final PeerClient peers;

    public StoreQueries(RulesStreams rules, PeerClient peers) {
        this.rules = rules;
        this.peers = peers;
    }

    /**
     * The value under {@code key}, from whichever instance holds it; empty when there is none.
     *
     * @param authorization the caller's {@code Authorization} header, passed on to the instance that holds the key
     */
    public <V extends SpecificRecordBase> Optional<V> get(ViewStore<V> store, String key, String authorization) {
        KafkaStreams streams = queryable();
        if (rules.applicationServer().isEmpty()) {
            return localGetAnywhere(store, key);
        }
        KeyQueryMetadata owner = streams.queryMetadataForKey(store.name(), key, Serdes.String().serializer());
        HostInfo host = ownerOf(store, owner, "the key's partition");
        if (host.equals(rules.applicationServer().get())) {
            return localGet(store, key, owner.partition());
        }
        return peers.get(host, store, key, owner.partition(), authorization);
    }

    /**
     * Every entry of the store, from all instances, keyed by store key.
     *
     * @param authorization the caller's {@code Authorization} header, passed on to the other instances
     */
    public <V extends SpecificRecordBase> Map<String, V> all(ViewStore<V> store, String authorization) {
        queryable();
        Optional<HostInfo> self = rules.applicationServer();
        if (self.isEmpty()) {
            return localEntriesUnadvertised(store);
        }
        Map<HostInfo, Set<Integer>> owners = partitionOwners(store);
        // Ask the peers first, all at once, so their work overlaps with this instance's own read.
        List<CompletableFuture<Map<String, V>>> remote = new ArrayList<>();
        owners.forEach((host, partitions) -> {
            if (!host.equals(self.get())) {
                remote.add(peers.entries(host, store, partitions, authorization));
            }
        });
        Map<String, V> merged = new HashMap<>();
        if (owners.containsKey(self.get())) {
            merged.putAll(localEntries(store, owners.get(self.get())));
        }
        for (CompletableFuture<Map<String, V>> part : remote) {
            try {
                merged.putAll(part.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        return merged;
    }

    /**
     * This instance's entries of {@code partitions}, or of every partition it is active for when null.
     *
     * @throws StoreUnavailableException unless this instance is active for every one of them and can read it
     */
    public <V extends SpecificRecordBase> Map<String, V> localEntries(ViewStore<V> store, Set<Integer> partitions) {
        StateQueryRequest<KeyValueIterator<String, V>> request = StateQueryRequest.inStore(store.name())
                .withQuery(RangeQuery.<String, V>withNoBounds()).requireActive();
        StateQueryResult<KeyValueIterator<String, V>> result = query(store, partitions == null ? request : request.withPartitions(partitions));
        Map<String, V> entries = new HashMap<>();
        RuntimeException failure = null;
        if (partitions == null && result.getPartitionResults().isEmpty()) {
            throw new StoreUnavailableException("This rules-service instance holds no partition of " + store.name() + " yet");
        }
        for (int partition : partitions == null ? result.getPartitionResults().keySet() : partitions) {
            QueryResult<KeyValueIterator<String, V>> part = result.getPartitionResults().get(partition);
            if (failure == null) {
                failure = failureOf(store, partition, part);
            }
            if (part != null && part.isSuccess()) {
                // Every successful iterator is closed, even after a failure: each holds a RocksDB snapshot.
                try (KeyValueIterator<String, V> iterator = part.getResult()) {
                    iterator.forEachRemaining(entry -> entries.put(entry.key, entry.value));
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return entries;
    }

    /**
     * This instance's value under {@code key} in {@code partition}.
     *
     * @throws StoreUnavailableException unless this instance is active for the partition and can read it
     */
    public <V extends SpecificRecordBase> Optional<V> localGet(ViewStore<V> store, String key, int partition) {
        StateQueryRequest<V> request = StateQueryRequest.inStore(store.name())
                .withQuery(KeyQuery.<String, V>withKey(key)).withPartitions(Set.of(partition)).requireActive();
        QueryResult<V> result = query(store, request).getPartitionResults().get(partition);
        RuntimeException failure = failureOf(store, partition, result);
        if (failure != null) {
            throw failure;
        }
        return Optional.ofNullable(result.getResult());
    }

    /**
     * Without an advertised address Streams says nothing of partitions: this instance's entries, once it runs (its
     * partitions assigned and restored) and holds some. While it joins or restores it holds none, and an empty list
     * then would be a lie.
     */
    private <V extends SpecificRecordBase> Map<String, V> localEntriesUnadvertised(ViewStore<V> store) {
        requireRunning();
        return localEntries(store, null);
    }

    /** This instance's value under {@code key}, from whichever of its partitions holds it (no advertised address). */
    private <V extends SpecificRecordBase> Optional<V> localGetAnywhere(ViewStore<V> store, String key) {
        requireRunning();
        StateQueryRequest<V> request = StateQueryRequest.inStore(store.name()).withQuery(KeyQuery.<String, V>withKey(key)).requireActive();
        Map<Integer, QueryResult<V>> parts = query(store, request).getPartitionResults();
        if (parts.isEmpty()) {
            throw new StoreUnavailableException("This rules-service instance holds no partition of " + store.name() + " yet");
        }
        for (Map.Entry<Integer, QueryResult<V>> part : parts.entrySet()) {
            RuntimeException failure = failureOf(store, part.getKey(), part.getValue());
            if (failure != null) {
                throw failure;
            }
            if (part.getValue().getResult() != null) {
                return Optional.of(part.getValue().getResult());
            }
        }
        return Optional.empty();
    }

    /**
     * Which instance is active for each partition of the store. The partition count comes from Streams itself (the
     * partitioner it calls is told the count of the store's source topics), so it is right for any topology.
     */
    Map<HostInfo, Set<Integer>> partitionOwners(ViewStore<?> store) {
        KafkaStreams streams = queryable();
        int[] count = {0};
        KeyQueryMetadata first = streams.queryMetadataForKey(store.name(), "", (topic, key, value, partitions) -> {
            count[0] = partitions;
            return Optional.of(Set.of(0));
        });
        HostInfo firstOwner = ownerOf(store, first, "partition 0");
        Map<HostInfo, Set<Integer>> owners = new LinkedHashMap<>();
        owners.computeIfAbsent(firstOwner, host -> new TreeSet<>()).add(0);
        for (int partition = 1; partition < count[0]; partition++) {
            int wanted = partition;
            KeyQueryMetadata metadata = streams.queryMetadataForKey(store.name(), "",
                    (topic, key, value, partitions) -> Optional.of(Set.of(wanted)));
            owners.computeIfAbsent(ownerOf(store, metadata, "partition " + partition), host -> new TreeSet<>()).add(partition);
        }
        return owners;
    }

    private KafkaStreams queryable() {
        KafkaStreams streams = rules.streams();
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            throw new StoreUnavailableException("The rules topology is " + state + ", not running: its stores cannot be read now");
        }
        return streams;
    }

    private void requireRunning() {
        KafkaStreams.State state = rules.streams().state();
        if (state != KafkaStreams.State.RUNNING) {
            throw new StoreUnavailableException("The rules topology is " + state + " (joining its group or restoring its stores)");
        }
    }

    private HostInfo ownerOf(ViewStore<?> store, KeyQueryMetadata metadata, String what) {
        if (metadata == null) {
            throw unknownStore(store);
        }
        if (metadata == KeyQueryMetadata.NOT_AVAILABLE) {
            throw new StoreUnavailableException("The rules service is still joining its group: which instance holds "
                    + store.name() + " is not known yet");
        }
        HostInfo host = metadata.activeHost();
        if (UNKNOWN_HOST.equals(host)) {
            throw new StoreUnavailableException("No instance is active yet for " + what + " of " + store.name()
                    + " (the partitions are being assigned)");
        }
        return host;
    }

    private <R> StateQueryResult<R> query(ViewStore<?> store, StateQueryRequest<R> request) {
        try {
            return rules.streams().query(request);
        } catch (UnknownStateStoreException e) {
            throw unknownStore(store);
        } catch (InvalidStateStoreException e) {
            throw new StoreUnavailableException("The store " + store.name() + " cannot be read now: " + e.getMessage());
        }
    }

    private static RuntimeException failureOf(ViewStore<?> store, int partition, QueryResult<?> result) {
        if (result == null) {
            return new StoreUnavailableException("Partition " + partition + " of " + store.name() + " gave no answer on this instance");
        }
        if (result.isFailure()) {
            // NOT_ACTIVE, NOT_PRESENT, NOT_UP_TO_BOUND: the partition moved, is restoring or is not assigned yet.
            return new StoreUnavailableException("Partition " + partition + " of " + store.name() + " cannot be read on this instance ("
                    + result.getFailureReason() + ": " + result.getFailureMessage() + ")");
        }
        return null;
    }

    private static ProblemException unknownStore(ViewStore<?> store) {
        return new ProblemException(HttpStatus.INTERNAL_SERVER_ERROR,
                "This rules service's topology has no store " + store.name() + "; the view cannot answer for it");
    }
}
