package io.tocsin.dispatcher.channel.email;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small real SMTP server on 127.0.0.1 for what GreenMail 2.1.13 cannot do: answer a command with a chosen
 * error reply (421, 450, 550, 554, ...), offer STARTTLS (GreenMail has no STARTTLS), or stay silent after
 * accepting a connection. It speaks RFC 5321 line by line over a real socket, with GreenMail's self-signed
 * certificate ({@code greenmail.p12} in the GreenMail jar) for STARTTLS.
 *
 * <p>Replies default to success; {@link #reply(String, String)} replaces the reply of a command verb
 * ({@code GREETING}, {@code MAIL}, {@code RCPT}, {@code DATA}, {@code DATA-END} for the reply after the message).
 */
final class ScriptedSmtpServer implements AutoCloseable {

    private final ServerSocket server;
    private final Map<String, String> replies = new HashMap<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final List<Boolean> messagesOverTls = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private volatile boolean offerStartTls;
    private volatile boolean silent;

    ScriptedSmtpServer() throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("scripted-smtp").start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Answers {@code verb} with {@code reply} (a whole reply line, e.g. {@code 550 5.1.1 no such user}). */
    ScriptedSmtpServer reply(String verb, String reply) {
        replies.put(verb, reply);
        return this;
    }

    /** Advertises STARTTLS in the EHLO reply and performs it. */
    ScriptedSmtpServer offerStartTls() {
        offerStartTls = true;
        return this;
    }

    /** Accepts connections but never says anything: the client's read timeout must fire. */
    ScriptedSmtpServer silent() {
        silent = true;
        return this;
    }

    /** Command lines received, in order, AUTH lines included as sent. */
    List<String> commands() {
        return List.copyOf(commands);
    }

    /** Messages received (the DATA, dot-unstuffed, lines joined with CRLF). */
    List<String> messages() {
        return List.copyOf(messages);
    }

    /** For each received message, whether its connection was TLS when it arrived. */
    List<Boolean> messagesOverTls() {
        return List.copyOf(messagesOverTls);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            if (silent) {
                socket.getInputStream().read(); // until the client gives up and closes
                return;
            }
            Socket current = socket;
            BufferedReader in = reader(current);
            OutputStream out = current.getOutputStream();
            send(out, replies.getOrDefault("GREETING", "220 scripted.test ESMTP"));
            String line;
            while ((line = in.readLine()) != null) {
                commands.add(line);
                String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> {
                        boolean tls = current instanceof SSLSocket;
                        send(out, offerStartTls && !tls ? "250-scripted.test\r\n250-STARTTLS\r\n250 8BITMIME" : "250-scripted.test\r\n250 8BITMIME");
                    }
                    case "HELO", "RSET", "NOOP" -> send(out, "250 OK");
                    case "STARTTLS" -> {
                        send(out, "220 go ahead");
                        current = startTls(current);
                        in = reader(current);
                        out = current.getOutputStream();
                    }
                    case "MAIL", "RCPT" -> send(out, replies.getOrDefault(verb, "250 OK"));
                    case "DATA" -> {
                        String reply = replies.getOrDefault("DATA", "354 end with <CRLF>.<CRLF>");
                        send(out, reply);
                        if (reply.startsWith("354")) {
                            messages.add(readData(in));
                            messagesOverTls.add(current instanceof SSLSocket);
                            send(out, replies.getOrDefault("DATA-END", "250 queued"));
                        }
                    }
                    case "QUIT" -> {
                        send(out, "221 bye");
                        return;
                    }
                    default -> send(out, "502 command not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away; what it sent so far is recorded
        }
    }

    private static String readData(BufferedReader in) throws IOException {
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null && !line.equals(".")) {
            data.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
        }
        return data.toString();
    }

    private static Socket startTls(Socket plain) throws IOException {
        SSLSocket tls = (SSLSocket) tlsContext().getSocketFactory()
                .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        tls.setUseClientMode(false);
        tls.startHandshake();
        return tls;
    }

    private static SSLContext tlsContext() throws IOException {
        char[] password = "changeit".toCharArray();
        try (InputStream p12 = ScriptedSmtpServer.class.getClassLoader().getResourceAsStream("greenmail.p12")) {
            if (p12 == null) {
                throw new IOException("greenmail.p12 is not on the test class path");
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(p12, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot load GreenMail's test certificate", e);
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : connections) {
            socket.close();
        }
    }
}
