package io.tocsin.cloud.provider.azure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS for the Azure tests. Azure's SDKs send a bearer token over HTTPS only (and MSAL talks to an https authority
 * only), so the local servers (WireMock, Azurite) speak HTTPS with WireMock's bundled test key ({@code keystore},
 * password {@code password}, in wiremock-standalone). The client side trusts exactly that certificate: its subject is not
 * {@code localhost}, so the host name is not checked, but no other certificate is accepted.
 */
final class AzureTestTls {

    private static final char[] PASSWORD = "password".toCharArray();

    private AzureTestTls() {
    }

    /** What a test server presents: WireMock's key and certificate. */
    static SSLContext server() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore(), PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes the same key and certificate as PEM files ({@code key}: PKCS#8), for a server that is not Java: Azurite
     * takes {@code --cert} and {@code --key} PEM files (https://github.com/Azure/Azurite#https-setup).
     */
    static void writePem(Path cert, Path key) {
        try {
            KeyStore store = keyStore();
            Base64.Encoder mime = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
            Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n" + mime.encodeToString(store.getCertificate("wiremock").getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + mime.encodeToString(store.getKey("wiremock", PASSWORD).getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the adapters under test use: trusts WireMock's certificate and nothing else. */
    static SSLContext client() {
        try {
            X509Certificate pinned = (X509Certificate) keyStore().getCertificate("wiremock");
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new Pinned(pinned)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore keyStore() throws GeneralSecurityException {
        try (InputStream in = AzureTestTls.class.getClassLoader().getResourceAsStream("keystore")) {
            KeyStore store = KeyStore.getInstance("JKS");
            store.load(in, PASSWORD);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Accepts a server whose certificate is the pinned one. */
    private static final class Pinned extends X509ExtendedTrustManager {
        private final X509Certificate pinned;

        Pinned(X509Certificate pinned) {
            this.pinned = pinned;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0 || !chain[0].equals(pinned)) {
                throw new CertificateException("not the test server's certificate");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not used");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[] {pinned};
        }
    }
}
