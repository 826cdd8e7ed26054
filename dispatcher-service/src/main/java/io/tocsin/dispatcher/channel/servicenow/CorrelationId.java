package io.tocsin.dispatcher.channel.servicenow;

import io.tocsin.dispatcher.channel.CorrelationKey;

/**
 * The ServiceNow correlation value of an alarm: the incident's {@code correlation_id} and the event's
 * {@code message_key}. It is the alarm key itself when that fits: at most {@value #MAX_LENGTH} characters (the
 * task table's {@code correlation_id} length) and free of {@code ^} and control characters, which would break
 * the encoded query that finds the incident again. Otherwise it is the shared stable shortening
 * ({@link CorrelationKey}) with ServiceNow's documented form: the key's first {@value #PREFIX_LENGTH} characters
 * (with {@code ^} and control characters replaced by {@code _}), {@code #}, then the 64 hex digits of the SHA-256
 * of the whole key (UTF-8) — 100 characters for a long key, the same for every event of the alarm and after any
 * restart. Only the separator differs from the other services' {@code ~}: {@code #} is the form documented in
 * docs/integrations/servicenow.md, and a value already stored in an instance must keep matching, or an upgrade
 * would leave the incidents it opened unresolved.
 */
final class CorrelationId {

    static final int MAX_LENGTH = 100;
    static final int PREFIX_LENGTH = MAX_LENGTH - 1 - 64;

    private CorrelationId() {
    }

    static String of(String alarmKey) {
        return CorrelationKey.of(alarmKey, MAX_LENGTH, '#', c -> c == '^' || Character.isISOControl(c));
    }
}
