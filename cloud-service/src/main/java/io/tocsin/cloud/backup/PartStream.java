package io.tocsin.cloud.backup;

import io.micronaut.http.multipart.PartData;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
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
 * upload). Here every {@code request} goes back to the event loop that delivered the parts.
 *
 * <p>Error contract: a failed or cancelled part stream (the client went away, a size limit) is an
 * {@link IOException} from {@code read}; closing the stream early cancels the subscription.
 */
final class PartStream extends InputStream implements Subscriber<PartData> {

    static final int PREFETCH = 4;
    private static final Object END = new Object();

    private final BlockingQueue<Object> parts = new ArrayBlockingQueue<>(PREFETCH + 1);
    private volatile Subscription subscription;
    private volatile Executor loop = Runnable::run;
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;

    static PartStream of(Publisher<PartData> publisher) {
        PartStream stream = new PartStream();
        publisher.subscribe(stream);
        return stream;
    }

    @Override
    public void onSubscribe(Subscription subscription) {
        this.subscription = subscription;
        captureLoop();
        subscription.request(PREFETCH);
    }

    @Override
    public void onNext(PartData part) {
        captureLoop();
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

    /** Remembers the Netty event loop the parts come from (none when called elsewhere: then requests are direct). */
    private void captureLoop() {
        EventExecutor executor = ThreadExecutorMap.currentExecutor();
        if (executor != null) {
            loop = executor;
        }
    }
}
