package io.tocsin.dispatcher.channel.email;

import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The e-mail of one alarm event: subject, headers and a {@code multipart/alternative} body with a text and an
 * HTML part ({@link AlarmMailBody}).
 *
 * <ul>
 *   <li>Subject: {@code [CRITICAL] db1.example.org: Server db1 reports: Disconnected} when an alarm opens,
 *       {@code [RESOLVED] db1.example.org: ...} when it ends. The place is the host name, else the cluster,
 *       else the source.</li>
 *   <li>{@code Message-ID: <hex@tocsin>}, the hex being the first 128 bits of the SHA-256 of the event id: every
 *       attempt of one event carries the same id (mail clients and Gmail drop duplicates by it), and the id
 *       stays a safe {@code dot-atom} (RFC 5322 section 3.6.4) whatever characters the alarm key has.</li>
 *   <li>Any later event of an occurrence ({@code ENDED}) has {@code In-Reply-To} and {@code References}
 *       pointing at the Message-ID of that occurrence's {@code CREATED} event, whose id is
 *       {@code alarmKey/openedAtMillis/1}, so the resolve mail threads with its trigger.</li>
 *   <li>{@code X-Tocsin-Alarm-Key}, {@code X-Tocsin-Event-Id} for filters, and {@code Auto-Submitted:
 *       auto-generated} (RFC 3834) so vacation responders do not answer.</li>
 * </ul>
 *
 * Control characters (CR and LF above all) are removed from every value put in a header, so alarm text cannot
 * add headers; non-ASCII text is RFC 2047 encoded as UTF-8.
 */
final class AlarmMail {

    static final String MESSAGE_ID_DOMAIN = "tocsin";
    private static final Pattern CONTROLS = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029]+");

    private AlarmMail() {
    }

    /** The complete message, with its Message-ID fixed (see the class comment). */
    static MimeMessage compose(Session session, AlarmEvent event, InternetAddress from, List<InternetAddress> to)
            throws MessagingException {
        MimeMessage message = new FixedIdMessage(session, messageId(event.getEventId()));
        message.setFrom(from);
        message.setRecipients(Message.RecipientType.TO, to.toArray(InternetAddress[]::new));
        message.setSubject(subject(event), StandardCharsets.UTF_8.name());
        message.setSentDate(new Date());
        if (event.getStatus() != AlarmEventStatus.CREATED) {
            String trigger = messageId(createdEventId(event));
            message.setHeader("In-Reply-To", trigger);
            message.setHeader("References", trigger);
        }
        setTextHeader(message, "X-Tocsin-Alarm-Key", event.getAlarmKey());
        setTextHeader(message, "X-Tocsin-Event-Id", event.getEventId());
        message.setHeader("Auto-Submitted", "auto-generated");

        MimeBodyPart text = new MimeBodyPart();
        text.setText(AlarmMailBody.text(event), StandardCharsets.UTF_8.name(), "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(AlarmMailBody.html(event, subject(event)), StandardCharsets.UTF_8.name(), "html");
        // RFC 2046 section 5.1.4: the last part is the preferred one, so HTML goes last.
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        message.setContent(alternative);
        message.saveChanges();
        return message;
    }

    /** {@code [SEVERITY] place: title}, or {@code [RESOLVED] place: title} for an ENDED event; one line. */
    static String subject(AlarmEvent event) {
        String tag = event.getStatus() == AlarmEventStatus.ENDED ? "RESOLVED" : event.getSeverity().name();
        String title = event.getTitle().isBlank() ? event.getType() : event.getTitle();
        return headerSafe("[" + tag + "] " + place(event) + ": " + title);
    }

    /** Where the alarm is: the host name, else the cluster, else the source. */
    static String place(AlarmEvent event) {
        if (!event.getHostname().isBlank()) {
            return event.getHostname();
        }
        return event.getCluster().isBlank() ? event.getSource() : event.getCluster();
    }

    /** {@code <32 hex digits@tocsin>} for an event id. */
    static String messageId(String eventId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(eventId.getBytes(StandardCharsets.UTF_8));
            return "<" + HexFormat.of().formatHex(digest, 0, 16) + "@" + MESSAGE_ID_DOMAIN + ">";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** The event id of the CREATED event of the occurrence {@code event} belongs to (AlarmEvent.avsc). */
    static String createdEventId(AlarmEvent event) {
        return event.getAlarmKey() + "/" + event.getOpenedAt().toEpochMilli() + "/1";
    }

    /** {@code value} on one line: runs of control characters (CR, LF, tab, ...) become one space. */
    static String headerSafe(String value) {
        return CONTROLS.matcher(value).replaceAll(" ").strip();
    }

    private static void setTextHeader(MimeMessage message, String name, String value) throws MessagingException {
        try {
            String encoded = MimeUtility.encodeText(headerSafe(value), StandardCharsets.UTF_8.name(), null);
            message.setHeader(name, MimeUtility.fold(name.length() + 2, encoded));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is required of every JDK", e);
        }
    }

    /**
     * A message whose Message-ID is ours: {@link MimeMessage#saveChanges()} would otherwise replace it with a
     * random one on every attempt.
     */
    private static final class FixedIdMessage extends MimeMessage {

        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
