package io.tocsin.dispatcher.channel.email;

import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Classifies a failed SMTP attempt (a Jakarta Mail {@link MessagingException} from Eclipse Angus) as a
 * {@link DeliveryResult}. In order of precedence:
 *
 * <ol>
 *   <li>STARTTLS required ({@code security: starttls}) but not offered by the server: {@code Permanent CONFIG}.
 *       Nothing was sent, credentials included; retrying cannot help until the server or the setting changes.</li>
 *   <li>An I/O failure anywhere in the cause chain: a {@link SocketTimeoutException} (connect or read timeout)
 *       is {@code Retryable TIMEOUT}; a TLS failure ({@link SSLException}: untrusted certificate, name
 *       mismatch, no common protocol) and every other I/O failure (refused connection, unknown host, reset) are
 *       {@code Retryable CONNECT}. A certificate problem is retried rather than dead-lettered at once because it
 *       is often transient (a certificate being rotated, one bad node behind a load balancer); the delivery
 *       deadline bounds the retries.</li>
 *   <li>An SMTP reply code (RFC 5321 section 4.2.1), from the failed command, or from the greeting or
 *       authentication when those failed: 530, 534, 535, 538 (authentication required or refused) are
 *       {@code Permanent AUTH}; any other 4xx (421 service closing, 450/451/452 mailbox busy, local error,
 *       insufficient storage, 454 temporary failure) is {@code Retryable SERVER}; any other 5xx (550 unknown
 *       mailbox, 553, 554 transaction failed) is {@code Permanent CLIENT}. The code is the result's status.
 *       When recipients got different replies a 5xx wins: the message is sent to all or none, so it would be
 *       refused again.</li>
 *   <li>{@link AuthenticationFailedException} without a reply code (no mechanism in common): {@code Permanent
 *       AUTH}.</li>
 *   <li>Anything else: {@code Retryable SERVER}.</li>
 * </ol>
 *
 * <p>Reasons carry the reply code and exception class names only, never the exception message nor the server's
 * reply text: Angus puts the server's last reply into {@link AuthenticationFailedException}, and a server may
 * echo what it was sent there.
 */
final class SmtpFailures {

    private static final Set<Integer> AUTH_CODES = Set.of(530, 534, 535, 538);
    // Angus's wording (SMTPTransport.protocolConnect), pinned by a test against a server without STARTTLS.
    private static final String STARTTLS_MISSING = "STARTTLS is required but host does not support STARTTLS";

    private SmtpFailures() {
    }

    /**
     * @param failure   what the transport threw
     * @param lastReply the transport's last reply code ({@code SMTPTransport.getLastReturnCode()}), -1 or 0 when
     *                  there was none; used when the exception carries no code (bad greeting, AUTH refused)
     */
    static DeliveryResult classify(MessagingException failure, int lastReply) {
        if (STARTTLS_MISSING.equals(failure.getMessage())) {
            return new DeliveryResult.Permanent(Failure.CONFIG,
                    "the SMTP server does not offer STARTTLS, which security 'starttls' requires; nothing was sent");
        }
        List<Throwable> chain = chain(failure);
        String classes = classNames(chain);
        if (chain.stream().anyMatch(SocketTimeoutException.class::isInstance)) {
            return new DeliveryResult.Retryable(Failure.TIMEOUT, "SMTP timed out (" + classes + ")");
        }
        if (chain.stream().anyMatch(SSLException.class::isInstance)) {
            return new DeliveryResult.Retryable(Failure.CONNECT, "TLS with the SMTP server failed (" + classes + ")");
        }
        if (chain.stream().anyMatch(IOException.class::isInstance)) {
            return new DeliveryResult.Retryable(Failure.CONNECT, "SMTP connection failed (" + classes + ")");
        }
        int code = replyCode(chain);
        if (code == 0 && lastReply >= 400 && lastReply <= 599) {
            code = lastReply;
        }
        if (code != 0) {
            return byReplyCode(code, classes);
        }
        if (failure instanceof AuthenticationFailedException) {
            return new DeliveryResult.Permanent(Failure.AUTH, "SMTP authentication failed (" + classes + ")");
        }
        return new DeliveryResult.Retryable(Failure.SERVER, "SMTP failed (" + classes + ")");
    }

    /** The result for an SMTP error reply. */
    static DeliveryResult byReplyCode(int code, String classes) {
        if (AUTH_CODES.contains(code)) {
            return new DeliveryResult.Permanent(Failure.AUTH, "SMTP " + code + ": authentication refused (" + classes + ")", code);
        }
        if (code >= 400 && code <= 499) {
            return new DeliveryResult.Retryable(Failure.SERVER, "SMTP " + code + ": temporary failure (" + classes + ")",
                    code, Optional.empty());
        }
        return new DeliveryResult.Permanent(Failure.CLIENT, "SMTP " + code + ": rejected (" + classes + ")", code);
    }

    /** The first 5xx error reply code in the chain, else the first 4xx, else 0. */
    private static int replyCode(List<Throwable> chain) {
        int transientCode = 0;
        for (Throwable t : chain) {
            int candidate = switch (t) {
                case SMTPAddressFailedException address -> address.getReturnCode();
                case SMTPSendFailedException send -> send.getReturnCode();
                default -> 0;
            };
            if (candidate >= 500 && candidate <= 599) {
                return candidate;
            }
            if (candidate >= 400 && candidate <= 499 && transientCode == 0) {
                transientCode = candidate;
            }
        }
        return transientCode;
    }

    /**
     * The failure and its causes. {@link MessagingException#getCause()} is its "next exception", so a send
     * failure's per-recipient exceptions are in the chain too.
     */
    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** {@code MessagingException < ConnectException}: the classes of the chain, outermost first, distinct. */
    private static String classNames(List<Throwable> chain) {
        return String.join(" < ", chain.stream().map(t -> t.getClass().getSimpleName()).distinct().toList());
    }
}
