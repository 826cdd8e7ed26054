package io.tocsin.dispatcher.channel.email;

import io.tocsin.dispatcher.DispatcherSettings;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.dispatcher.delivery.OutboundTargets;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.wire.FieldError;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Sends one e-mail per alarm event over SMTP (Jakarta Mail, Eclipse Angus): subject, threading and body as
 * described in {@link AlarmMail}, to every {@code to} recipient in one message. Each attempt opens its own
 * connection: alarm mail is rare enough that a pool would only add state to go stale.
 *
 * <p>Settings ({@link EmailSettings}): {@code smtp-host} (required), {@code smtp-port} (default 587 with
 * {@code starttls}, 465 with {@code tls}, 25 with {@code none}), {@code security} ({@code starttls}, the
 * default, requires the server to offer STARTTLS; {@code tls} is implicit TLS; {@code none} is plain text),
 * {@code username} and {@code password} (secret) for SMTP AUTH, {@code from}, {@code to} (comma-separated),
 * {@code tls-trust}. Certificates are checked against the JDK trust store and must name {@code smtp-host}
 * ({@code mail.smtp.ssl.checkserveridentity}); {@code tls-trust} names hosts whose certificate chain is accepted
 * without validation (it must still name the host), or is {@code *} to accept any certificate from anyone with
 * no name check: insecure, for test servers only.
 *
 * <p>Every socket operation (connect, each read, each write) is bounded by
 * {@code tocsin.dispatcher.request-timeout}.
 *
 * <p>Error contract: as {@link Notifier}; {@link #notify} never throws for a failed delivery. Invalid settings
 * and a target refused by {@link OutboundTargets} are {@code Permanent CONFIG} before any connection is made;
 * transport failures are classified by {@link SmtpFailures} (STARTTLS not offered: Permanent CONFIG; timeout:
 * Retryable TIMEOUT; refused connection, unknown host, TLS handshake failure: Retryable CONNECT; reply 530, 534,
 * 535, 538 or refused credentials: Permanent AUTH; other 4xx: Retryable SERVER; other 5xx: Permanent CLIENT;
 * the reply code as status). An interrupt leaves the flag set and returns Retryable TIMEOUT. Reasons never hold
 * the password, an exception message or the server's reply text.
 */
@Singleton
public class EmailNotifier implements Notifier {

    public static final String SERVICE = "email";

    private final DispatcherSettings dispatcherSettings;
    private final OutboundTargets targets;
    // One timer thread for Angus's write timeouts, instead of the one per connection it otherwise creates. Writes
    // run on the sending thread; this thread only aborts a write that takes too long.
    private final ScheduledThreadPoolExecutor writeTimeouts;

    public EmailNotifier(DispatcherSettings dispatcherSettings, OutboundTargets targets) {
        this.dispatcherSettings = dispatcherSettings;
        this.targets = targets;
        this.writeTimeouts = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("tocsin-smtp-write-timeout").factory());
        // Every write schedules a timeout and cancels it: drop cancelled ones at once, not when they would fire.
        writeTimeouts.setRemoveOnCancelPolicy(true);
    }

    @Override
    public String service() {
        return SERVICE;
    }

    @Override
    public Set<String> secretSettings() {
        return Set.of(EmailSettings.PASSWORD);
    }

    @Override
    public boolean knows(String setting) {
        return Set.of(EmailSettings.SMTP_HOST, EmailSettings.SMTP_PORT, EmailSettings.SECURITY, EmailSettings.USERNAME,
                EmailSettings.PASSWORD, EmailSettings.FROM, EmailSettings.TO, EmailSettings.TLS_TRUST).contains(setting);
    }

    @Override
    public List<FieldError> validate(Map<String, String> settings) {
        return EmailSettings.parse(settings).errors();
    }

    @Override
    public DeliveryResult notify(AlarmEvent event, IntegrationConfig integration) {
        EmailSettings.Parsed parsed = EmailSettings.parse(integration.settings());
        if (!parsed.valid()) {
            FieldError first = parsed.errors().getFirst();
            return new DeliveryResult.Permanent(Failure.CONFIG, "invalid e-mail setting "
                    + integration.key(first.field()) + ": " + first.message());
        }
        EmailSettings settings = parsed.settings();
        DeliveryResult refused = targets.check(settings.host());
        if (refused != null) {
            return refused;
        }
        Session session = Session.getInstance(sessionProperties(settings));
        MimeMessage message;
        try {
            message = AlarmMail.compose(session, event, settings.from(), settings.to());
        } catch (MessagingException e) {
            return new DeliveryResult.Permanent(Failure.CONFIG, "cannot compose the e-mail (" + e.getClass().getSimpleName() + ")");
        }
        return send(session, message, settings);
    }

    /** One SMTP connection: connect (TLS, AUTH), send to every recipient, quit. */
    private DeliveryResult send(Session session, MimeMessage message, EmailSettings settings) {
        SMTPTransport transport;
        try {
            transport = (SMTPTransport) session.getTransport("smtp");
        } catch (MessagingException | ClassCastException e) {
            return new DeliveryResult.Permanent(Failure.CONFIG, "no SMTP transport (" + e.getClass().getSimpleName() + ")");
        }
        try {
            transport.connect(settings.host(), settings.port(), settings.username(), settings.password());
            transport.sendMessage(message, settings.to().toArray(InternetAddress[]::new));
            return DeliveryResult.Delivered.INSTANCE;
        } catch (MessagingException e) {
            if (Thread.currentThread().isInterrupted()) {
                return new DeliveryResult.Retryable(Failure.TIMEOUT, "interrupted");
            }
            return SmtpFailures.classify(e, transport.getLastReturnCode());
        } finally {
            closeQuietly(transport);
        }
    }

    /**
     * Angus properties of one attempt. Everything goes under the {@code smtp} protocol: with
     * {@code mail.smtp.ssl.enable} it speaks implicit TLS, so one prefix serves the three modes. See
     * https://jakarta.ee/specifications/mail/2.1/apidocs/jakarta.mail/jakarta/mail/package-summary and the
     * {@code org.eclipse.angus.mail.smtp} package documentation.
     */
    Properties sessionProperties(EmailSettings settings) {
        String timeout = Long.toString(dispatcherSettings.requestTimeout().toMillis());
        Properties props = new Properties();
        props.setProperty("mail.smtp.host", settings.host());
        props.setProperty("mail.smtp.port", Integer.toString(settings.port()));
        props.setProperty("mail.smtp.connectiontimeout", timeout);
        props.setProperty("mail.smtp.timeout", timeout);
        props.setProperty("mail.smtp.writetimeout", timeout);
        props.put("mail.smtp.executor.writetimeout", writeTimeouts);
        props.setProperty("mail.smtp.auth", Boolean.toString(settings.username() != null));
        // The envelope sender (MAIL FROM) is the From address; bounces go there.
        props.setProperty("mail.smtp.from", settings.from().getAddress());
        switch (settings.security()) {
            case STARTTLS -> {
                props.setProperty("mail.smtp.starttls.enable", "true");
                // Fail instead of going on in plain text (and sending the password) when STARTTLS is missing.
                props.setProperty("mail.smtp.starttls.required", "true");
            }
            case TLS -> props.setProperty("mail.smtp.ssl.enable", "true");
            case NONE -> props.setProperty("mail.smtp.starttls.enable", "false");
        }
        if (settings.tlsTrust() != null) {
            props.setProperty("mail.smtp.ssl.trust", settings.tlsTrust());
        }
        // A name check against a certificate accepted whatever it is would only reject it again.
        props.setProperty("mail.smtp.ssl.checkserveridentity", Boolean.toString(!settings.trustsAnyCertificate()));
        return props;
    }

    /** After a successful send the mail is accepted: a failing QUIT must not turn it into a failure. */
    private static void closeQuietly(SMTPTransport transport) {
        try {
            transport.close();
        } catch (MessagingException ignored) {
            // the connection is gone either way
        }
    }

    /** Stops the write-timeout thread; called by the context on shutdown. */
    @PreDestroy
    public void close() {
        writeTimeouts.shutdownNow();
    }
}
