package io.tocsin.dispatcher.delivery;

import java.time.Duration;

/**
 * A token bucket that makes callers wait rather than refusing them: {@link Notifier.RateLimit#perSecond()}
 * tokens a second, at most {@link Notifier.RateLimit#burst()} banked. A caller that finds the bucket empty
 * reserves the next token (the count goes negative) and sleeps until it is due, so waiting callers are served in
 * turn at exactly the rate and nothing is dropped. Thread-safe; the sleep happens outside the lock.
 */
public final class TokenBucket {

    private final Notifier.RateLimit rate;
    private final double tokensPerNano;
    private double tokens;
    private long last;

    public TokenBucket(Notifier.RateLimit rate) {
        this.rate = rate;
        this.tokensPerNano = rate.perSecond() / 1e9;
        this.tokens = rate.burst();
        this.last = System.nanoTime();
    }

    public Notifier.RateLimit rate() {
        return rate;
    }

    /** Takes a token; returns how long the caller must wait before using it (zero when one was banked). */
    public synchronized Duration reserve() {
        long now = System.nanoTime();
        tokens = Math.min(rate.burst(), tokens + (now - last) * tokensPerNano);
        last = now;
        tokens -= 1;
        return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / tokensPerNano));
    }

    /** Takes a token, waiting for it when the bucket is empty. */
    public void acquire() throws InterruptedException {
        Duration wait = reserve();
        if (!wait.isZero()) {
            Thread.sleep(wait);
        }
    }
}
