package io.tocsin.collector.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;

/**
 * A real TLS server on a free port whose certificate expires {@code validityDays} from now: the key pair and the
 * self-signed certificate are made by the JDK's own {@code keytool -genkeypair -validity N} (run as a process with
 * an argument list) into a temporary keystore. It records the SNI names clients send and the
 * application bytes they write (a TLS check must write none).
 */
final class TestTlsServer implements AutoCloseable {

    static final char[] PASSWORD = "test-password".toCharArray();
    private static final Map<Integer, Path> KEYSTORES = new HashMap<>();

    private final SSLServerSocket server;
    private final Thread acceptor;
    final List<String> serverNames = new CopyOnWriteArrayList<>();
    final List<Integer> bytesReceived = new CopyOnWriteArrayList<>();

    TestTlsServer(int validityDays) throws Exception {
        Path keystore = keystore(validityDays);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        this.server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0);
        SSLParameters parameters = server.getSSLParameters();
        parameters.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
            @Override
            public boolean matches(SNIServerName name) {
                serverNames.add(new String(name.getEncoded(), java.nio.charset.StandardCharsets.US_ASCII));
                return true;
            }
        }));
        server.setSSLParameters(parameters);
        this.acceptor = Thread.ofVirtual().start(this::accept);
    }

    /**
     * A keystore whose certificate expires {@code validityDays} after its creation, made once per JVM and
     * validity (keytool is a JVM start: seconds on a busy machine); deleted when the JVM exits.
     */
    static synchronized Path keystore(int validityDays) throws Exception {
        Path cached = KEYSTORES.get(validityDays);
        if (cached != null) {
            return cached;
        }
        Path directory = Files.createTempDirectory("tocsin-tls-test");
        Path keystore = directory.resolve("server-" + validityDays + ".p12");
        directory.toFile().deleteOnExit();
        keystore.toFile().deleteOnExit();
        Process keytool = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-J-XX:TieredStopAtLevel=1",
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", String.valueOf(validityDays),
                "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KEYSTORES.put(validityDays, keystore);
        return keystore;
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                SSLSocket client = (SSLSocket) server.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(SSLSocket client) {
        try (client) {
            client.setSoTimeout(10_000);
            client.startHandshake();
            int count = 0;
            while (client.getInputStream().read() >= 0) {
                count++;
            }
            bytesReceived.add(count);
        } catch (IOException e) {
            // A client that closes without close_notify, or a failed handshake: nothing to record.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
