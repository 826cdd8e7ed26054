package io.tocsin.rules.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * One instance's entries of a store, as {@code GET /api/v1/internal/stores/{store}} answers them to the other
 * instances: each value is the store's Avro record in single-object encoding, base64 (see {@link ViewStore}).
 *
 * @param store      the store's name
 * @param partitions the partitions the entries come from (all of them, or the answer is a 503)
 * @param entries    key and encoded value of every entry
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record StoreEntries(String store, List<Integer> partitions, List<Entry> entries) {

    /** One entry: the store key and the base64 of the value's single-object Avro encoding. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Entry(String key, String value) {
    }

    public static <V extends SpecificRecordBase> StoreEntries encode(ViewStore<V> store, Set<Integer> partitions, Map<String, V> entries) {
        Base64.Encoder base64 = Base64.getEncoder();
        List<Entry> encoded = entries.entrySet().stream()
                .map(entry -> new Entry(entry.getKey(), base64.encodeToString(store.format().encode(entry.getValue()))))
                .toList();
        return new StoreEntries(store.name(), partitions.stream().sorted().toList(), encoded);
    }

    /**
     * The entries decoded, in order.
     *
     * @throws IllegalArgumentException when a value is not base64
     * @throws io.tocsin.schema.wire.InvalidRecordException when a value is not a record of the store's type
     */
    public <V extends SpecificRecordBase> Map<String, V> decode(ViewStore<V> store) {
        Base64.Decoder base64 = Base64.getDecoder();
        Map<String, V> decoded = new LinkedHashMap<>();
        for (Entry entry : entries == null ? List.<Entry>of() : entries) {
            decoded.put(entry.key(), store.format().decode(base64.decode(entry.value())));
        }
        return decoded;
    }
}
