package io.tocsin.rules.topology;

import io.tocsin.schema.RawAlarm;

/**
 * What {@link RawAlarmDecoder} made of one raw record: an alarm (and whether it arrived under another key than
 * its alarm key, so it must be repartitioned), or a dead letter holding the original bytes.
 */
record DecodeResult(RawAlarm alarm, boolean rekeyed, byte[] originalKey, byte[] originalValue) {

    static DecodeResult alarm(RawAlarm alarm, boolean rekeyed) {
        return new DecodeResult(alarm, rekeyed, null, null);
    }

    static DecodeResult dead(byte[] key, byte[] value) {
        return new DecodeResult(null, false, key, value);
    }

    boolean isDead() {
        return alarm == null;
    }
}
