package io.tocsin.dispatcher.channel.email;

import static io.tocsin.dispatcher.channel.email.EmailFixtures.PASSWORD;
import static io.tocsin.dispatcher.channel.email.EmailFixtures.integration;
import static io.tocsin.dispatcher.channel.email.EmailFixtures.port;
import static io.tocsin.dispatcher.channel.email.EmailFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEventStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Implicit TLS against GreenMail's SMTPS server and STARTTLS against {@link ScriptedSmtpServer} (GreenMail
 * 2.1.13 does not implement STARTTLS). Both present GreenMail's self-signed certificate, issued to
 * "GreenMail selfsigned Test Certificate", which no trust store knows and which does not name 127.0.0.1.
 */
class EmailTlsTest {

    private EmailNotifier notifier;

    @BeforeEach
    void start() {
        notifier = EmailFixtures.notifier();
    }

    @AfterEach
    void stop() {
        notifier.close();
    }

    @Test
    void deliversOverImplicitTlsWhenTheCertificateIsTrusted() throws Exception {
        GreenMail smtps = EmailFixtures.greenMail("smtps");
        try {
            smtps.setUser("tocsin@example.org", "tocsin", PASSWORD);

            DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED),
                    integration(settings(port(smtps), "tls", "tls-trust", "*", "username", "tocsin", "password", PASSWORD)));

            assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
            assertThat(smtps.getReceivedMessages()).singleElement().satisfies(mail ->
                    assertThat(mail.getSubject()).isEqualTo("[CRITICAL] db1.example.org: Server db1 reports: Disconnected"));
        } finally {
            smtps.stop();
        }
    }

    /**
     * Retryable, not permanent: a certificate the JDK does not trust is, in production, as often a transient
     * fault (a certificate mid-rotation, one misconfigured node behind a load balancer) as a wrong setting, and
     * the delivery deadline ends the retries either way, with the event kept in the dead-letter topic.
     */
    @Test
    void refusesASelfSignedCertificateByDefault() {
        GreenMail smtps = EmailFixtures.greenMail("smtps");
        try {
            DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED),
                    integration(settings(port(smtps), "tls", "username", "tocsin", "password", PASSWORD)));

            assertThat(result).isInstanceOfSatisfying(DeliveryResult.Retryable.class, retryable -> {
                assertThat(retryable.failure()).isEqualTo(Failure.CONNECT);
                assertThat(retryable.reason()).startsWith("TLS with the SMTP server failed (")
                        .contains("SSLHandshakeException").doesNotContain(PASSWORD);
            });
            assertThat(smtps.getReceivedMessages()).isEmpty();
        } finally {
            smtps.stop();
        }
    }

    @Test
    void aTrustedHostListStillChecksTheCertificatesName() {
        GreenMail smtps = EmailFixtures.greenMail("smtps");
        try {
            DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED),
                    integration(settings(port(smtps), "tls", "tls-trust", "127.0.0.1 smtp.example.org")));

            assertThat(result).isInstanceOfSatisfying(DeliveryResult.Retryable.class,
                    retryable -> assertThat(retryable.failure()).isEqualTo(Failure.CONNECT));
            assertThat(result.reason()).contains("SSLHandshakeException");
            assertThat(smtps.getReceivedMessages()).isEmpty();
        } finally {
            smtps.stop();
        }
    }

    @Test
    void deliversAfterStartTls() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer().offerStartTls()) {
            DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED),
                    integration(settings(server.port(), "starttls", "tls-trust", "*")));

            assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
            assertThat(server.messagesOverTls()).containsExactly(true);
            assertThat(server.messages().getFirst())
                    .contains("Subject: [CRITICAL] db1.example.org: Server db1 reports: Disconnected\r\n");
            assertThat(server.commands()).extracting(c -> c.split(" ", 2)[0])
                    .containsExactly("EHLO", "STARTTLS", "EHLO", "MAIL", "RCPT", "DATA", "QUIT");
            assertThat(server.commands()).contains("MAIL FROM:<tocsin@example.org>", "RCPT TO:<dba@example.org>");
        }
    }

    @Test
    void startTlsWithAnUntrustedCertificateSendsNothing() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer().offerStartTls()) {
            DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED),
                    integration(settings(server.port(), "starttls")));

            assertThat(result).isInstanceOfSatisfying(DeliveryResult.Retryable.class,
                    retryable -> assertThat(retryable.failure()).isEqualTo(Failure.CONNECT));
            assertThat(result.reason()).contains("SSLHandshakeException");
            assertThat(server.commands()).extracting(c -> c.split(" ", 2)[0]).containsExactly("EHLO", "STARTTLS");
            assertThat(server.messages()).isEmpty();
        }
    }

    @Test
    void aServerWithoutStartTlsGetsNeitherCredentialsNorMail() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer()) {
            DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED),
                    integration(settings(server.port(), "starttls", "username", "tocsin", "password", PASSWORD)));

            assertThat(result).isEqualTo(new DeliveryResult.Permanent(Failure.CONFIG,
                    "the SMTP server does not offer STARTTLS, which security 'starttls' requires; nothing was sent"));
            assertThat(server.commands()).extracting(c -> c.split(" ", 2)[0]).containsExactly("EHLO");
            assertThat(server.messages()).isEmpty();
        }
    }

    @Test
    void greenMailWithoutStartTlsIsPermanentConfig() {
        GreenMail smtp = EmailFixtures.greenMail("smtp");
        try {
            DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED),
                    integration(settings(port(smtp), "starttls", "tls-trust", "*")));

            assertThat(result).isInstanceOfSatisfying(DeliveryResult.Permanent.class,
                    permanent -> assertThat(permanent.failure()).isEqualTo(Failure.CONFIG));
            assertThat(smtp.getReceivedMessages()).isEmpty();
        } finally {
            smtp.stop();
        }
    }
}
