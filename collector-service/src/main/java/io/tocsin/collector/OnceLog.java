package io.tocsin.collector;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Logs a failing condition once, not at every interval: the first failure of a key is a warning, repeats are
 * silent, and the first success after a failure logs that it recovered. A collector that cannot read a value
 * (issue 7: "logs it once and goes on") would otherwise fill the log every ten seconds.
 *
 * <p>Thread-safe; keys are free text naming what failed (a metric, a probe and its target, "publish").
 */
public final class OnceLog {

    private final Logger log;
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    public OnceLog(Logger log) {
        this.log = log;
    }

    /** Records a failure of {@code key}; logs {@code message} (and the reason, without a stack trace) the first time. */
    public void failed(String key, String message, Throwable reason) {
        if (failing.add(key)) {
            log.warn("{}: {} (logged once until it recovers)", message, reason == null ? "no reason given" : describe(reason));
        }
    }

    /** Records a success of {@code key}; logs the recovery when it was failing. */
    public void succeeded(String key, String message) {
        if (failing.remove(key)) {
            log.info(message);
        }
    }

    /** Whether {@code key} failed last time. */
    public boolean isFailing(String key) {
        return failing.contains(key);
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : error.getClass().getSimpleName() + ": " + message;
    }
}
