package io.tocsin.cloud.backup;

import io.micronaut.http.multipart.PartData;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A file part's bytes ({@code Publisher<PartData>}, Micronaut's {@code StreamingFileUpload}) as a blocking
 * {@link InputStream} with bounded buffering: at most {@value #PREFETCH} parts (Netty's chunks, tens of KiB) are
 * requested ahead of the reader, so the upload's speed is the provider's and memory does not grow with the file.
 *
 * <p>Why not {@code StreamingFileUpload.asInputStream()}: in Micronaut 4.10 it asks for the next chunk from the
 * reading thread, and {@code MicronautHttpData} keeps its chunks in an unsynchronised list that the event loop
 * appends to, so a reader that catches up with the network races it (seen as {@code NullPointerException: Cannot
 * read field "lock" because "chunk" is null} in {@code MicronautHttpData.addContent}, about 100 MB into an
 * upload). Here the subscription and every {@code request} happen on the event loop that delivers the parts.
 *
 * <p>Error contract: a failed or cancelled part stream (the client went away, a size limit) is an
 * {@link IOException} from {@code read}; closing the stream early cancels the subscription.
 */
final class PartStream extends InputStream implements Subscriber<PartData> {

    static final int PREFETCH = 4;
    private static final Object END = new Object();

    private final BlockingQueue<Object> parts = new ArrayBlockingQueue<>(PREFETCH + 1);
    private volatile Subscription subscription;
    private final Executor loop;
    private byte[] current = new byte[0];
    private int position;
    /** Volatile: {@link #close} on the request's thread and {@link #onSubscribe} on the event loop each check the other. */
    private volatile boolean ended;

    /**
     * The stream of {@code publisher}'s parts, subscribed from {@code eventLoop}: the event loop of the request's
     * channel, which delivers the parts. Subscribing from the controller's thread made the first
     * {@code request(PREFETCH)} come from there, racing the event loop's appends (seen: one 8 KiB chunk missing from a
     * 200 MiB upload, answered 201, about one run in five). {@code eventLoop} may run the subscription at once when
     * called on it (tests without Netty pass {@code Runnable::run}).
     */
    static PartStream of(Publisher<PartData> publisher, Executor eventLoop) {
        PartStream stream = new PartStream(eventLoop);
        eventLoop.execute(() -> publisher.subscribe(stream));
        return stream;
    }

    private PartStream(Executor eventLoop) {
        this.loop = eventLoop;
    }

    @Override
    public void onSubscribe(Subscription subscription) {
        this.subscription = subscription;
        if (ended) { // closed before the subscription arrived
            subscription.cancel();
        } else {
            subscription.request(PREFETCH);
        }
    }

    @Override
    public void onNext(PartData part) {
        Object item;
        try {
            item = part.getBytes();
        } catch (IOException e) {
            item = e;
        }
        if (!parts.offer(item)) { // the demand bounds it; a publisher that sends more breaks its contract
            parts.clear();
            parts.offer(new IOException("the multipart stream sent more parts than requested"));
        }
    }

    @Override
    public void onError(Throwable error) {
        parts.offer(error instanceof IOException io ? io : new IOException("the upload broke off: " + error.getMessage(), error));
    }

    @Override
    public void onComplete() {
        parts.offer(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!ended && position == current.length) {
            Object next;
            try {
                next = parts.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the upload's bytes", e);
            }
            if (next == END) {
                ended = true;
            } else if (next instanceof IOException failure) {
                ended = true;
                throw failure;
            } else {
                current = (byte[]) next;
                position = 0;
                Subscription s = subscription;
                loop.execute(() -> s.request(1));
            }
        }
        if (ended) {
            return -1;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, n);
        position += n;
        return n;
    }

    @Override
    public void close() {
        if (!ended) {
            ended = true;
            Subscription s = subscription;
            if (s != null) {
                loop.execute(s::cancel);
            }
        }
    }
}
