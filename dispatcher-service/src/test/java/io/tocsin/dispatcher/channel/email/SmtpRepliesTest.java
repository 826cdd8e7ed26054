package io.tocsin.dispatcher.channel.email;

import static io.tocsin.dispatcher.channel.email.EmailFixtures.integration;
import static io.tocsin.dispatcher.channel.email.EmailFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.OutboundTargets;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEventStatus;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How SMTP error replies and a silent server are classified, against {@link ScriptedSmtpServer}. */
class SmtpRepliesTest {

    private static final String SECRET_ECHO = "535 5.7.8 bad credentials for password Pa55-w0rd-never-echoed";

    private ScriptedSmtpServer server;
    private EmailNotifier notifier;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedSmtpServer();
        notifier = EmailFixtures.notifier(Duration.ofMillis(700), OutboundTargets.defaults());
    }

    @AfterEach
    void stop() throws Exception {
        notifier.close();
        server.close();
    }

    private DeliveryResult send() {
        return notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), integration(settings(server.port(), "none")));
    }

    @ParameterizedTest
    @ValueSource(ints = {450, 451, 452})
    void aTransientRecipientReplyIsRetryableServer(int code) {
        server.reply("RCPT", code + " 4.2.0 try again later");

        DeliveryResult result = send();

        assertThat(result).isEqualTo(new DeliveryResult.Retryable(Failure.SERVER,
                "SMTP " + code + ": temporary failure (SendFailedException < SMTPAddressFailedException)", code, Optional.empty()));
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void anUnknownMailboxIsPermanentClient() {
        server.reply("RCPT", "550 5.1.1 <dba@example.org>: user unknown");

        DeliveryResult result = send();

        assertThat(result).isEqualTo(new DeliveryResult.Permanent(Failure.CLIENT,
                "SMTP 550: rejected (SendFailedException < SMTPAddressFailedException)", 550));
        assertThat(server.messages()).isEmpty();
    }

    @Test
    void aMessageRefusedAfterDataIsPermanentClient() {
        server.reply("DATA-END", "554 5.7.1 message content rejected");

        DeliveryResult result = send();

        assertThat(result).isEqualTo(new DeliveryResult.Permanent(Failure.CLIENT, "SMTP 554: rejected (SMTPSendFailedException)", 554));
        assertThat(server.messages()).hasSize(1); // received, then refused
    }

    @Test
    void aServiceClosingGreetingIsRetryableServer() {
        server.reply("GREETING", "421 4.3.2 too busy, try later");

        DeliveryResult result = send();

        assertThat(result).isEqualTo(new DeliveryResult.Retryable(Failure.SERVER,
                "SMTP 421: temporary failure (MessagingException)", 421, Optional.empty()));
        assertThat(server.commands()).isEmpty();
    }

    @Test
    void aTransientSenderReplyIsRetryableServer() {
        server.reply("MAIL", "451 4.3.0 local error in processing");

        assertThat(send()).isEqualTo(new DeliveryResult.Retryable(Failure.SERVER,
                "SMTP 451: temporary failure (SMTPSendFailedException)", 451, Optional.empty()));
    }

    @Test
    void authenticationRequiredIsPermanentAuthWithoutTheReplyText() {
        server.reply("MAIL", SECRET_ECHO.replace("535", "530"));

        DeliveryResult result = send();

        assertThat(result).isEqualTo(new DeliveryResult.Permanent(Failure.AUTH,
                "SMTP 530: authentication refused (SMTPSendFailedException)", 530));
        assertThat(result.reason()).doesNotContain("Pa55");
    }

    @Test
    void aSilentServerIsRetryableTimeout() {
        server.silent();

        long start = System.nanoTime();
        DeliveryResult result = send();

        assertThat(result).isInstanceOfSatisfying(DeliveryResult.Retryable.class, retryable -> {
            assertThat(retryable.failure()).isEqualTo(Failure.TIMEOUT);
            assertThat(retryable.reason()).contains("SocketTimeoutException");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
}
