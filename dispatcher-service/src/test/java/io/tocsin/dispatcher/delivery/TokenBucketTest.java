package io.tocsin.dispatcher.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void aBurstGoesAtOnceThenCallersWaitTheirTurnAtTheRate() {
        // One token a second: scheduling hiccups of the test thread (milliseconds) cannot blur the figures.
        TokenBucket bucket = new TokenBucket(new Notifier.RateLimit(1, 5));
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.reserve()).as("token %d of the burst", i).isZero();
        }
        Duration sixth = bucket.reserve();
        Duration seventh = bucket.reserve();
        assertThat(sixth).isBetween(Duration.ofMillis(800), Duration.ofMillis(1000));
        assertThat(seventh.minus(sixth)).as("one more token every second").isBetween(Duration.ofMillis(900), Duration.ofMillis(1000));
    }

    @Test
    void acquireSleepsUntilTheTokenIsDue() throws InterruptedException {
        TokenBucket bucket = new TokenBucket(new Notifier.RateLimit(50, 1));
        long started = System.nanoTime();
        for (int i = 0; i < 6; i++) {
            bucket.acquire();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(95));
    }
}
