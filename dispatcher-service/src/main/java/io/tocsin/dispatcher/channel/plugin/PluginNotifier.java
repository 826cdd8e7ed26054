package io.tocsin.dispatcher.channel.plugin;

import io.micronaut.context.annotation.Value;
import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.delivery.DeliveryResult.Failure;
import io.tocsin.dispatcher.delivery.Notifier;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.wire.FieldError;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs an executable from the plugin directory ({@code tocsin.dispatcher.plugin-dir}) once per alarm event, in
 * one of two calling conventions ({@code mode}):
 * <ul>
 *   <li>{@code clustercontrol} (default): cmon's plugin interface, one JSON document on standard input
 *       ({@link ClusterControlMessage}), so plugins written for ClusterControl (e.g. s9s-admin's pagerduty.py)
 *       run unchanged;</li>
 *   <li>{@code pacemaker}: Pacemaker's alert agent interface, {@code CRM_alert_*} environment variables
 *       ({@link PacemakerEnvironment}), so the stock agents ({@code alert_file.sh}, {@code alert_smtp.sh},
 *       {@code alert_snmp.sh}) run unchanged.</li>
 * </ul>
 * Settings {@code env.<NAME>} add environment variables (Pacemaker's instance attributes; e.g. an API key);
 * they are secret. The process gets no shell, a scrubbed environment ({@code PATH=/usr/local/bin:/usr/bin:/bin},
 * {@code LANG=C.UTF-8}, the mode's variables, the {@code env.*} settings, nothing else) and a timeout.
 *
 * <p>Error contract: as {@link Notifier}, with the classification of {@link PluginProcess} for the run, and
 * {@link DeliveryResult.Permanent} {@link Failure#CONFIG} for invalid settings and for a plugin that does not
 * exist, is not an executable regular file, resolves outside the directory or is writable by others
 * ({@link PluginDirectory}). Reasons name the plugin file; never an {@code env.*} value nor the plugin's output.
 */
@Singleton
public class PluginNotifier implements Notifier {

    public static final String SERVICE = "plugin";
    static final String PATH = "/usr/local/bin:/usr/bin:/bin";
    static final String LANG = "C.UTF-8";

    private final PluginDirectory directory;
    private volatile String localHostname;

    /** @param pluginDir the plugin directory; relative paths resolve against the working directory */
    public PluginNotifier(@Value("${tocsin.dispatcher.plugin-dir:plugins}") String pluginDir) {
        this.directory = new PluginDirectory(Path.of(pluginDir));
    }

    @Override
    public String service() {
        return SERVICE;
    }

    /** Only the {@code env.*} family is secret ({@link #isSecret}): a plugin's name and mode are not. */
    @Override
    public Set<String> secretSettings() {
        return Set.of();
    }

    @Override
    public boolean knows(String setting) {
        return Set.of(PluginSettings.PLUGIN, PluginSettings.MODE, PluginSettings.TIMEOUT, PluginSettings.RECIPIENT,
                PluginSettings.TIMESTAMP_FORMAT, PluginSettings.CMON_HOSTNAME).contains(setting)
                || setting.startsWith(PluginSettings.ENV_PREFIX);
    }

    /** Every {@code env.*} value: instance attributes commonly carry API keys and passwords. */
    @Override
    public boolean isSecret(String setting) {
        return setting.startsWith(PluginSettings.ENV_PREFIX);
    }

    @Override
    public List<FieldError> validate(Map<String, String> settings) {
        return PluginSettings.validate(settings);
    }

    @Override
    public DeliveryResult notify(AlarmEvent event, IntegrationConfig integration) {
        List<FieldError> errors = PluginSettings.validate(integration.settings());
        if (!errors.isEmpty()) {
            FieldError first = errors.getFirst();
            return new DeliveryResult.Permanent(Failure.CONFIG, integration.key(first.field()) + " " + first.message());
        }
        PluginSettings settings = PluginSettings.parse(integration.settings());
        PluginDirectory.Resolved plugin;
        try {
            plugin = directory.resolve(settings.plugin());
        } catch (PluginDirectory.UnusablePluginException e) {
            return new DeliveryResult.Permanent(Failure.CONFIG, e.getMessage());
        }
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", PATH);
        environment.put("LANG", LANG);
        byte[] stdin;
        if (settings.mode() == PluginSettings.Mode.PACEMAKER) {
            environment.putAll(PacemakerEnvironment.of(event, settings.recipient(), settings.timestampFormat()));
            stdin = new byte[0];
        } else {
            String cmonHostname = settings.cmonHostname() != null ? settings.cmonHostname() : localHostname();
            stdin = ClusterControlMessage.of(event, cmonHostname).toJson();
        }
        settings.environment().forEach((name, value) -> environment.put(name, PacemakerEnvironment.clean(value)));
        return PluginProcess.run(new PluginProcess.Invocation(settings.plugin(), plugin, environment, stdin,
                settings.timeout(), settings.environment().values()));
    }

    /** This host's name, looked up once (it may need DNS); {@code localhost} when it cannot be found. */
    String localHostname() {
        String name = localHostname;
        if (name == null) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                name = "localhost";
            }
            localHostname = name;
        }
        return name;
    }

    /** The plugin directory as configured, absolute. */
    Path pluginDirectory() {
        return directory.path();
    }
}
