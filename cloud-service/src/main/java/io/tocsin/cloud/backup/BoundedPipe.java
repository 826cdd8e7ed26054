package io.tocsin.cloud.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Turns the adapters' push-style download ({@code download(..., OutputStream)}) into the stream an HTTP answer
 * reads, holding at most {@value #BLOCKS} blocks in between: the writer waits when the client reads slowly, so a
 * download never sits in memory. Unlike {@link java.io.PipedInputStream} it does not care which threads read and
 * write. Closing the input (the client went away) makes the writer's next write fail, which ends the provider
 * download; a writer that fails calls {@link #fail} and the reader gets an IOException instead of a short stream.
 */
final class BoundedPipe {

    static final int BLOCKS = 16;
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> blocks = new ArrayBlockingQueue<>(BLOCKS);
    private volatile boolean readerClosed;
    private volatile IOException failure;

    final OutputStream out = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            if (length > 0) {
                put(Arrays.copyOfRange(buffer, offset, offset + length));
            }
        }

        @Override
        public void close() throws IOException {
            put(END);
        }
    };

    final InputStream in = new InputStream() {
        private byte[] current = new byte[0];
        private int position;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            while (!ended && position == current.length) {
                try {
                    current = blocks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the provider's bytes", e);
                }
                position = 0;
                if (current == END) {
                    ended = true;
                }
            }
            if (ended) {
                if (failure != null) {
                    throw failure;
                }
                return -1;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, buffer, offset, n);
            position += n;
            return n;
        }

        @Override
        public void close() {
            readerClosed = true;
            blocks.clear(); // lets a waiting writer see the close
        }
    };

    /** Ends the stream with {@code cause}: the reader gets it instead of end of file. */
    void fail(Exception cause) {
        failure = new IOException("the provider's download failed: " + cause.getMessage(), cause);
        blocks.clear();
        blocks.offer(END);
    }

    private void put(byte[] block) throws IOException {
        try {
            while (!blocks.offer(block, 1, TimeUnit.SECONDS)) {
                if (readerClosed) {
                    throw new IOException("the client stopped reading");
                }
            }
            if (readerClosed) {
                throw new IOException("the client stopped reading");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
