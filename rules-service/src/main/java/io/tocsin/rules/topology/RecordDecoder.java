package io.tocsin.rules.topology;

import io.tocsin.common.dlq.DeadLetterHeaders;
import io.tocsin.schema.wire.InvalidRecordException;
import io.tocsin.schema.wire.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes the records of a raw topic (Avro single-object or JSON, one record or a JSON array) and keys each by
 * what the topology partitions it by (the alarm key of a raw alarm, the host of a metric sample). Error contract: a
 * record that cannot be decoded or breaks a rule is never retried and never stops the topology; it is forwarded as
 * a dead letter (original key, bytes and headers plus {@link DeadLetterHeaders} naming {@code stage}) and written to
 * {@code tocsin.dlq} in the same transaction as the offset commit, and counted ({@link RulesMetrics#deadLetters}).
 *
 * @param <T> the record type
 */
final class RecordDecoder<T extends org.apache.avro.specific.SpecificRecordBase> implements Processor<byte[], byte[], String, DecodeResult<T>> {

    private final WireFormat<T> format;
    private final Function<T, String> keyOf;
    private final String stage;
    private final Runnable deadLetters;
    private ProcessorContext<String, DecodeResult<T>> context;

    RecordDecoder(WireFormat<T> format, Function<T, String> keyOf, String stage, Runnable deadLetters) {
        this.format = format;
        this.keyOf = keyOf;
        this.stage = stage;
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(ProcessorContext<String, DecodeResult<T>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        try {
            for (T value : format.decodeAll(record.value())) {
                String key = keyOf.apply(value);
                boolean rekeyed = record.key() == null || !Arrays.equals(record.key(), key.getBytes(StandardCharsets.UTF_8));
                context.forward(record.withKey(key).withValue(DecodeResult.of(value, rekeyed)));
            }
        } catch (InvalidRecordException e) {
            RecordMetadata source = context.recordMetadata().orElseThrow();
            var headers = DeadLetterHeaders.add(DeadLetterHeaders.copy(record.headers()), stage, source.topic(),
                    source.partition(), source.offset(), e);
            context.forward(new Record<>((String) null, DecodeResult.<T>dead(record.key(), record.value()), record.timestamp(), headers));
            deadLetters.run();
        }
    }
}
