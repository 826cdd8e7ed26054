package io.tocsin.collector.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS check of a probe cycle: how many days the leaf certificate of a TLS server has left.
 *
 * <p>It trusts every certificate, on purpose: it only reads the leaf's {@code notAfter} and sends no application
 * data, and a self-signed or privately issued certificate (the usual case on database and cluster ports) expires
 * just the same and is worth the warning. The server name is sent as SNI (unless the endpoint is an IP literal),
 * so a server hosting several names shows the certificate of the one configured. Direct TLS only: protocols
 * that upgrade a plain connection (STARTTLS, MySQL's and PostgreSQL's own negotiation) are not spoken.
 */
public final class TlsCertificateCheck {

    private static final long MILLIS_PER_DAY = Duration.ofDays(1).toMillis();

    private TlsCertificateCheck() {
    }

    /**
     * Connects to {@code endpoint}, completes a TLS handshake and closes again.
     *
     * @return days from {@code now} to the leaf certificate's {@code notAfter}, fractional (negative once expired)
     * @throws IOException when the connect or the handshake fails or takes longer than {@code timeout}, or the
     *                     server shows no X.509 certificate
     */
    public static double daysLeft(Endpoint endpoint, Duration timeout, Instant now) throws IOException {
        X509Certificate leaf = leafCertificate(endpoint, timeout);
        return (leaf.getNotAfter().getTime() - now.toEpochMilli()) / (double) MILLIS_PER_DAY;
    }

    static X509Certificate leafCertificate(Endpoint endpoint, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(InetAddress.getByName(endpoint.host()), endpoint.port()), ReachabilityChecks.millis(timeout));
            plain.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            try (SSLSocket tls = (SSLSocket) readOnlyContext().getSocketFactory().createSocket(plain, endpoint.host(), endpoint.port(), false)) {
                SSLParameters parameters = tls.getSSLParameters();
                if (!endpoint.isAddressLiteral()) {
                    parameters.setServerNames(List.of(new SNIHostName(endpoint.host())));
                }
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                Certificate[] chain = tls.getSession().getPeerCertificates();
                if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                    throw new IOException("the server shows no X.509 certificate");
                }
                return leaf;
            }
        }
    }

    private static SSLContext readOnlyContext() throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AcceptsAnyCertificate()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS implementation: " + e.getMessage(), e);
        }
    }

    /**
     * Accepts any server certificate. An {@link X509ExtendedTrustManager} (not a plain X509TrustManager, which
     * the JDK wraps with further checks) so that an old signature algorithm does not hide the expiry date.
     */
    private static final class AcceptsAnyCertificate extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // Only the expiry date is read; see the class comment.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // Only the expiry date is read; see the class comment.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // Only the expiry date is read; see the class comment.
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
