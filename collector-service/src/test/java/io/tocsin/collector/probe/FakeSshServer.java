package io.tocsin.collector.probe;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real TCP server on a free port that behaves like the start of an SSH server: after {@code delay} it writes
 * {@code banner} and keeps the connection open; while {@link #silent} it accepts and writes nothing.
 */
final class FakeSshServer implements AutoCloseable {

    private final ServerSocket server;
    private final Thread acceptor;
    private final AtomicInteger connections = new AtomicInteger();
    volatile boolean silent;
    volatile Duration delay;
    volatile String banner = "SSH-2.0-test\r\n";

    FakeSshServer(Duration delay, boolean silent) throws IOException {
        this.server = new ServerSocket(0);
        this.delay = delay;
        this.silent = silent;
        this.acceptor = Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            if (!silent) {
                Thread.sleep(delay.toMillis());
                OutputStream out = client.getOutputStream();
                out.write(banner.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            // Keep the connection open, as a server waiting for the client's identification would.
            client.setSoTimeout(30_000);
            client.getInputStream().read();
        } catch (IOException | InterruptedException e) {
            // The client went away: done.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
