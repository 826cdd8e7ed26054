package io.tocsin.dispatcher.channel.email;

import static io.tocsin.dispatcher.channel.email.EmailFixtures.PASSWORD;
import static io.tocsin.dispatcher.channel.email.EmailFixtures.integration;
import static io.tocsin.dispatcher.channel.email.EmailFixtures.port;
import static io.tocsin.dispatcher.channel.email.EmailFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.OutboundTargets;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.Severity;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delivery over plain SMTP ({@code security: none}) to a real GreenMail server on 127.0.0.1. */
class EmailNotifierTest {

    private GreenMail greenMail;
    private EmailNotifier notifier;

    @BeforeEach
    void start() {
        greenMail = EmailFixtures.greenMail("smtp");
        notifier = EmailFixtures.notifier();
    }

    @AfterEach
    void stop() {
        notifier.close();
        greenMail.stop();
    }

    private IntegrationConfig plain(String... more) {
        return integration(settings(port(greenMail), "none", more));
    }

    @Test
    void sendsOneMessageToEveryRecipientWithSubjectHeadersAndBothParts() throws Exception {
        AlarmEvent event = AlarmEvent.newBuilder(TestEvents.event("470", AlarmEventStatus.CREATED))
                .setLabels(Map.of("team", "dba", "dc", "eu1")).build();

        DeliveryResult result = notifier.notify(event, plain("to", "dba@example.org, oncall@example.org"));

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(2); // GreenMail keeps one copy per recipient mailbox
        assertThat(Arrays.stream(received).map(m -> header(m, "Message-ID")).distinct()).hasSize(1);
        MimeMessage mail = received[0];
        assertThat(mail.getSubject()).isEqualTo("[CRITICAL] db1.example.org: Server db1 reports: Disconnected");
        assertThat(header(mail, "From")).isEqualTo("tocsin@example.org");
        assertThat(mail.getRecipients(Message.RecipientType.TO)).extracting(Object::toString)
                .containsExactly("dba@example.org", "oncall@example.org");
        assertThat(header(mail, "Message-ID")).isEqualTo(AlarmMail.messageId(event.getEventId())).matches("<[0-9a-f]{32}@tocsin>");
        assertThat(header(mail, "X-Tocsin-Alarm-Key")).isEqualTo("cmon:470");
        assertThat(header(mail, "X-Tocsin-Event-Id")).isEqualTo(event.getEventId());
        assertThat(header(mail, "Auto-Submitted")).isEqualTo("auto-generated");
        assertThat(header(mail, "In-Reply-To")).isNull();
        assertThat(header(mail, "References")).isNull();

        assertThat(mail.getContentType()).startsWith("multipart/alternative");
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        BodyPart text = parts.getBodyPart(0);
        assertThat(text.getContentType()).isEqualToIgnoringCase("text/plain; charset=UTF-8");
        assertThat(lf((String) text.getContent())).isEqualTo("""
                Status:         CREATED
                Severity:       CRITICAL
                Title:          Server db1 reports: Disconnected
                Message:        Server db1:3306 is disconnected.
                Recommendation: Restart failed node
                Cluster:        prod-galera
                Host:           db1.example.org
                Component:      Node
                Categories:     Node
                Alarm key:      cmon:470
                Opened at:      2025-01-02T03:04:05Z
                Event time:     2025-01-02T03:04:06Z
                Labels:         dc=eu1, team=dba

                --\s
                Sent by Tocsin. Event cmon:470/1735787045000/1
                """);
        BodyPart html = parts.getBodyPart(1);
        assertThat(html.getContentType()).isEqualToIgnoringCase("text/html; charset=UTF-8");
        assertThat(lf((String) html.getContent()))
                .contains("<title>[CRITICAL] db1.example.org: Server db1 reports: Disconnected</title>")
                .contains("<tr><th align=\"left\" valign=\"top\">Status</th><td>CREATED</td></tr>")
                .contains("<tr><th align=\"left\" valign=\"top\">Severity</th><td>CRITICAL</td></tr>")
                .contains("<tr><th align=\"left\" valign=\"top\">Recommendation</th><td>Restart failed node</td></tr>")
                .contains("<tr><th align=\"left\" valign=\"top\">Alarm key</th><td>cmon:470</td></tr>")
                .contains("<tr><th align=\"left\" valign=\"top\">Opened at</th><td>2025-01-02T03:04:05Z</td></tr>")
                .contains("<tr><th align=\"left\" valign=\"top\">Event time</th><td>2025-01-02T03:04:06Z</td></tr>")
                .contains("<tr><th align=\"left\" valign=\"top\">Labels</th><td>dc=eu1, team=dba</td></tr>");
    }

    @Test
    void keepsTheMessageIdAcrossAttemptsOfOneEvent() throws Exception {
        AlarmEvent event = TestEvents.event("470", AlarmEventStatus.CREATED);
        AlarmEvent other = TestEvents.event("471", AlarmEventStatus.CREATED);

        notifier.notify(event, plain());
        notifier.notify(event, plain());
        notifier.notify(other, plain());

        assertThat(greenMail.getReceivedMessages()).extracting(m -> header(m, "Message-ID")).containsExactly(
                AlarmMail.messageId(event.getEventId()), AlarmMail.messageId(event.getEventId()),
                AlarmMail.messageId(other.getEventId()));
        assertThat(AlarmMail.messageId(event.getEventId())).isNotEqualTo(AlarmMail.messageId(other.getEventId()));
    }

    @Test
    void escapesHtmlKeepsTextRawAndEncodesUtf8() throws Exception {
        String title = "Disk <script>alert(1)</script> & Ünïcødé 日本 full";
        AlarmEvent event = AlarmEvent.newBuilder(TestEvents.event("9", AlarmEventStatus.CREATED, Severity.WARNING, "c1", List.of("Host")))
                .setTitle(title).setMessage("line one\n<b>line two</b>").build();

        assertThat(notifier.notify(event, plain())).isEqualTo(DeliveryResult.Delivered.INSTANCE);

        MimeMessage mail = greenMail.getReceivedMessages()[0];
        assertThat(mail.getSubject()).isEqualTo("[WARNING] db1.example.org: " + title);
        assertThat(mail.getHeader("Subject")[0]).startsWith("=?UTF-8?"); // RFC 2047 on the wire
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        String text = lf((String) parts.getBodyPart(0).getContent());
        String html = lf((String) parts.getBodyPart(1).getContent());
        assertThat(text).contains("Title:          " + title + "\n")
                .contains("Message:        line one\n                <b>line two</b>\n");
        assertThat(html).contains("<td>Disk &lt;script&gt;alert(1)&lt;/script&gt; &amp; Ünïcødé 日本 full</td>")
                .contains("<td>line one<br>&lt;b&gt;line two&lt;/b&gt;</td>")
                .doesNotContain("<script>").doesNotContain("<b>");
    }

    @Test
    void threadsTheResolveMailWithItsTrigger() throws Exception {
        IntegrationConfig mail = plain();

        notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED), mail);
        notifier.notify(TestEvents.event("470", AlarmEventStatus.ENDED), mail);

        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(2);
        String trigger = header(received[0], "Message-ID");
        MimeMessage resolve = received[1];
        assertThat(resolve.getSubject()).isEqualTo("[RESOLVED] db1.example.org: Server db1 reports: Disconnected");
        assertThat(header(resolve, "In-Reply-To")).isEqualTo(trigger);
        assertThat(header(resolve, "References")).isEqualTo(trigger);
        assertThat(header(resolve, "Message-ID")).isNotEqualTo(trigger);
        assertThat(lf((String) ((MimeMultipart) resolve.getContent()).getBodyPart(0).getContent()))
                .startsWith("Status:         ENDED (resolved)\n");
    }

    @Test
    void namesTheClusterThenTheSourceWhenThereIsNoHost() {
        AlarmEvent noHost = AlarmEvent.newBuilder(TestEvents.event("1", AlarmEventStatus.CREATED)).setHostname("").build();
        AlarmEvent nothing = AlarmEvent.newBuilder(noHost).setCluster("").build();

        assertThat(AlarmMail.subject(noHost)).isEqualTo("[CRITICAL] prod-galera: Server db1 reports: Disconnected");
        assertThat(AlarmMail.subject(nothing)).isEqualTo("[CRITICAL] cmon: Server db1 reports: Disconnected");
    }

    @Test
    void lineBreaksInAlarmTextCannotAddHeaders() throws Exception {
        AlarmEvent event = AlarmEvent.newBuilder(TestEvents.event("1", AlarmEventStatus.CREATED))
                .setTitle("boom\r\nBcc: victim@example.net\r\nX-Injected: yes")
                .setAlarmId("1\r\nX-Injected: key").setAlarmKey("cmon:1\r\nX-Injected: key").build();

        assertThat(notifier.notify(event, plain())).isEqualTo(DeliveryResult.Delivered.INSTANCE);

        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received[0].getSubject()).isEqualTo("[CRITICAL] db1.example.org: boom Bcc: victim@example.net X-Injected: yes");
        assertThat(header(received[0], "X-Injected")).isNull();
        assertThat(header(received[0], "Bcc")).isNull();
        assertThat(header(received[0], "X-Tocsin-Alarm-Key")).isEqualTo("cmon:1 X-Injected: key");
    }

    @Test
    void authenticatesWithTheRightPassword() throws Exception {
        greenMail.setUser("tocsin@example.org", "tocsin", PASSWORD);

        DeliveryResult result = notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED),
                plain("username", "tocsin", "password", PASSWORD));

        assertThat(result).isEqualTo(DeliveryResult.Delivered.INSTANCE);
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void aWrongPasswordIsPermanentAuthWithoutThePassword() {
        greenMail.setUser("tocsin@example.org", "tocsin", "the-right-one");

        DeliveryResult result = notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED),
                plain("username", "tocsin", "password", PASSWORD));

        assertThat(result).isInstanceOfSatisfying(DeliveryResult.Permanent.class, permanent -> {
            assertThat(permanent.failure()).isEqualTo(Failure.AUTH);
            assertThat(permanent.status()).isEqualTo(535);
            assertThat(permanent.reason()).startsWith("SMTP 535: authentication refused")
                    .doesNotContain(PASSWORD).doesNotContain("tocsin");
        });
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void nothingListeningIsRetryableConnect() throws Exception {
        DeliveryResult result = notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED),
                integration(settings(EmailFixtures.freePort(), "none", "username", "u", "password", PASSWORD)));

        assertThat(result).isInstanceOfSatisfying(DeliveryResult.Retryable.class, retryable -> {
            assertThat(retryable.failure()).isEqualTo(Failure.CONNECT);
            assertThat(retryable.reason()).contains("ConnectException").doesNotContain(PASSWORD);
        });
    }

    @Test
    void anUnknownHostIsRetryableConnect() {
        Map<String, String> settings = settings(25, "none");
        settings.put("smtp-host", "no-such-host.invalid"); // RFC 6761: never resolves

        DeliveryResult result = notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED), integration(settings));

        assertThat(result).isInstanceOfSatisfying(DeliveryResult.Retryable.class,
                retryable -> assertThat(retryable.failure()).isEqualTo(Failure.CONNECT));
        assertThat(result.reason()).contains("UnknownHostException");
    }

    @Test
    void aDeniedTargetIsPermanentConfigAndNothingIsSent() {
        EmailNotifier guarded = EmailFixtures.notifier(Duration.ofSeconds(5), new OutboundTargets(List.of("127.0.0.0/8"), List.of()));
        try {
            DeliveryResult result = guarded.notify(TestEvents.event("1", AlarmEventStatus.CREATED), plain());

            assertThat(result).isEqualTo(new DeliveryResult.Permanent(Failure.CONFIG,
                    "target address 127.0.0.1 is not allowed (tocsin.dispatcher.outbound.allow/deny)"));
            assertThat(greenMail.getReceivedMessages()).isEmpty();
        } finally {
            guarded.close();
        }
    }

    @Test
    void invalidSettingsArePermanentConfigNamingTheSetting() {
        DeliveryResult result = notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED),
                plain("to", "not an address", "password", PASSWORD, "username", "u"));

        assertThat(result).isEqualTo(new DeliveryResult.Permanent(Failure.CONFIG,
                "invalid e-mail setting tocsin.dispatcher.integrations.dba-mail.to: is not a valid comma-separated list of e-mail addresses"));
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    private static String lf(String text) {
        return text.replace("\r\n", "\n");
    }

    /** GreenMail's view of a header; wraps the checked exception for use in lambdas. */
    private static String header(MimeMessage message, String name) {
        try {
            return EmailFixtures.header(message, name);
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
