package io.tocsin.rules.topology;

import io.tocsin.common.dlq.DeadLetterHeaders;
import io.tocsin.schema.AlarmKeys;
import io.tocsin.schema.RawAlarm;
import io.tocsin.schema.wire.InvalidRecordException;
import io.tocsin.schema.wire.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes raw-alarm records (Avro single-object or JSON, one alarm or a JSON array) and keys each alarm by its
 * alarm key. Error contract: a record that cannot be decoded or breaks a rule is never retried and never stops
 * the topology; it is forwarded as a dead letter (original key, bytes and headers plus
 * {@link DeadLetterHeaders}) and written to {@code tocsin.dlq} in the same transaction as the offset commit.
 */
final class RawAlarmDecoder implements Processor<byte[], byte[], String, DecodeResult> {

    static final String STAGE = "rules/raw-alarm-decoder";

    private final WireFormat<RawAlarm> format;
    private ProcessorContext<String, DecodeResult> context;

    RawAlarmDecoder(WireFormat<RawAlarm> format) {
        this.format = format;
    }

    @Override
    public void init(ProcessorContext<String, DecodeResult> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        try {
            for (RawAlarm alarm : format.decodeAll(record.value())) {
                String key = AlarmKeys.of(alarm);
                boolean rekeyed = record.key() == null || !Arrays.equals(record.key(), key.getBytes(StandardCharsets.UTF_8));
                context.forward(record.withKey(key).withValue(DecodeResult.alarm(alarm, rekeyed)));
            }
        } catch (InvalidRecordException e) {
            RecordMetadata source = context.recordMetadata().orElseThrow();
            var headers = DeadLetterHeaders.add(DeadLetterHeaders.copy(record.headers()), STAGE, source.topic(),
                    source.partition(), source.offset(), e);
            context.forward(new Record<>((String) null, DecodeResult.dead(record.key(), record.value()), record.timestamp(), headers));
        }
    }
}
