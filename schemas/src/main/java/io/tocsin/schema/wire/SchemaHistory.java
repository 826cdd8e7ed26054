package io.tocsin.schema.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of every Tocsin schema, kept in {@code schema-history/} of this module
 * ({@code <Record>/v<N>.avsc}, listed in {@code schema-history/index}). Decoders register all of them, so a
 * record written by any released version of Tocsin still decodes; {@code SchemaHistoryTest} proves it and
 * fails when a schema changes without a new version being added here.
 */
public final class SchemaHistory {

    private static final String ROOT = "/schema-history/";

    /** A released version of one record schema. */
    public record Version(String record, int version, Schema schema) { }

    private SchemaHistory() {
    }

    /** All released versions, in index order (per record, oldest first). */
    public static List<Version> all() {
        List<Version> versions = new ArrayList<>();
        for (String line : read("index").split("\n")) {
            String entry = line.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            String[] parts = entry.split("/");
            int version = Integer.parseInt(parts[1].replaceAll("^v(\\d+)\\.avsc$", "$1"));
            versions.add(new Version(parts[0], version, new Schema.Parser().parse(read(entry))));
        }
        return versions;
    }

    /** The released versions of one record, oldest first. */
    public static List<Version> of(String record) {
        return all().stream().filter(v -> v.record().equals(record)).toList();
    }

    private static String read(String name) {
        try (InputStream in = SchemaHistory.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("missing schema history resource " + ROOT + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
