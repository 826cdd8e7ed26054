package io.tocsin.dispatcher.channel.email;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.tocsin.dispatcher.DispatcherSettings;
import io.tocsin.dispatcher.delivery.OutboundTargets;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Notifiers, integrations and GreenMail servers for the e-mail channel's tests. */
final class EmailFixtures {

    static final String PASSWORD = "Pa55-w0rd-never-echoed";

    private EmailFixtures() {
    }

    static EmailNotifier notifier(Duration timeout, OutboundTargets targets) {
        DispatcherSettings defaults = DispatcherSettings.defaults();
        return new EmailNotifier(new DispatcherSettings(defaults.groupId(), defaults.initialBackoff(), defaults.maxBackoff(),
                defaults.deliveryDeadline(), timeout, true), targets);
    }

    static EmailNotifier notifier() {
        return notifier(Duration.ofSeconds(5), OutboundTargets.defaults());
    }

    /** Settings for a server on 127.0.0.1:{@code port}, from tocsin@example.org to dba@example.org. */
    static Map<String, String> settings(int port, String security, String... more) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("smtp-host", "127.0.0.1");
        settings.put("smtp-port", Integer.toString(port));
        settings.put("security", security);
        settings.put("from", "tocsin@example.org");
        settings.put("to", "dba@example.org");
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    static IntegrationConfig integration(Map<String, String> settings) {
        return IntegrationConfig.declared("dba-mail", EmailNotifier.SERVICE, settings);
    }

    /** A started GreenMail with one server of {@code protocol} (smtp or smtps) on a free port of 127.0.0.1. */
    static GreenMail greenMail(String protocol) {
        ServerSetup setup = new ServerSetup(0, "127.0.0.1", protocol);
        // The first TLS server of a JVM loads its key store and TLS provider: more than GreenMail's default 2 s
        // on a busy machine.
        setup.setServerStartupTimeout(15_000);
        GreenMail greenMail = new GreenMail(setup);
        greenMail.start();
        return greenMail;
    }

    static int port(GreenMail greenMail) {
        return greenMail.getSmtp() != null ? greenMail.getSmtp().getPort() : greenMail.getSmtps().getPort();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String header(MimeMessage message, String name) throws MessagingException {
        return message.getHeader(name, ",");
    }
}
