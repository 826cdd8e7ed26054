package io.tocsin.cloud.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.MediaType;
import io.micronaut.http.multipart.PartData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * {@link PartStream} against a publisher that, like Micronaut's multipart parts, must only be touched from its event
 * loop: the subscription and every {@code request} and {@code cancel} happen on that loop, never on the reading
 * thread (the race that once lost an 8 KiB chunk of an upload), demand stays bounded, and the bytes read are the
 * bytes published, in order.
 */
class PartStreamTest {

    final ExecutorService loop = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "event-loop"));

    @AfterEach
    void stop() throws InterruptedException {
        loop.shutdownNow();
        assertThat(loop.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void everyCallToThePublisherIsOnItsLoopAndTheBytesArriveWhole() throws IOException {
        byte[] data = new byte[300 * 8192 + 17];
        new Random(3).nextBytes(data);
        LoopBoundParts parts = new LoopBoundParts(data, 8192);

        ByteArrayOutputStream read = new ByteArrayOutputStream();
        try (InputStream stream = PartStream.of(parts, loop)) {
            stream.transferTo(read);
        }

        assertThat(read.toByteArray()).isEqualTo(data);
        assertThat(parts.threads).as("subscribe and every request").isNotEmpty().containsOnly("event-loop");
        assertThat(parts.maxOutstanding).as("demand ahead of the reader").isLessThanOrEqualTo(PartStream.PREFETCH);
    }

    @Test
    void closingEarlyCancelsOnTheLoop() throws Exception {
        LoopBoundParts parts = new LoopBoundParts(new byte[100 * 1024], 1024);
        InputStream stream = PartStream.of(parts, loop);
        assertThat(stream.read(new byte[10])).isEqualTo(10);
        stream.close();
        loop.submit(() -> { }).get(5, TimeUnit.SECONDS); // the cancel was queued before this

        assertThat(parts.cancelled).isTrue();
        assertThat(parts.threads).containsOnly("event-loop");
    }

    /** Parts of {@code data}, sent from the loop as they are requested; records the thread of every call. */
    final class LoopBoundParts implements Publisher<PartData> {
        final byte[] data;
        final int size;
        final List<String> threads = new CopyOnWriteArrayList<>();
        volatile boolean cancelled;
        volatile long maxOutstanding;
        int offset;
        long outstanding;

        LoopBoundParts(byte[] data, int size) {
            this.data = data;
            this.size = size;
        }

        @Override
        public void subscribe(Subscriber<? super PartData> subscriber) {
            threads.add(Thread.currentThread().getName());
            subscriber.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                    threads.add(Thread.currentThread().getName());
                    outstanding += n;
                    maxOutstanding = Math.max(maxOutstanding, outstanding);
                    // Deliver later on the loop, as Netty does when the next chunk is read.
                    loop.execute(() -> deliver(subscriber));
                }

                @Override
                public void cancel() {
                    threads.add(Thread.currentThread().getName());
                    cancelled = true;
                }
            });
        }

        private void deliver(Subscriber<? super PartData> subscriber) {
            while (outstanding > 0 && offset < data.length && !cancelled) {
                int end = Math.min(data.length, offset + size);
                byte[] chunk = java.util.Arrays.copyOfRange(data, offset, end);
                offset = end;
                outstanding--;
                subscriber.onNext(part(chunk));
            }
            if (offset == data.length && !cancelled) {
                offset++; // complete once
                subscriber.onComplete();
            }
        }
    }

    static PartData part(byte[] bytes) {
        return new PartData() {
            @Override
            public InputStream getInputStream() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public byte[] getBytes() {
                return bytes;
            }

            @Override
            public ByteBuffer getByteBuffer() {
                return ByteBuffer.wrap(bytes);
            }

            @Override
            public Optional<MediaType> getContentType() {
                return Optional.empty();
            }
        };
    }
}
