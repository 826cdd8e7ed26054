package io.tocsin.dispatcher.channel.plugin;

import static io.tocsin.dispatcher.channel.plugin.PluginScripts.integration;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mode: pacemaker}: the alert agent environment (seed 004), and nothing of ours besides. */
class PacemakerModeTest {

    @TempDir
    Path directory;
    private PluginScripts scripts;
    private PluginNotifier notifier;

    @BeforeEach
    void setUp() throws Exception {
        scripts = new PluginScripts(directory);
        notifier = new PluginNotifier(directory.toString());
        scripts.script("alert_file.sh", PluginScripts.RECORD_ENVIRONMENT + "cat > stdin.bin\n");
    }

    @Test
    void anOpenedAlarmIsAFailedMonitorWithExactlyTheseVariables() throws Exception {
        AlarmEvent event = AlarmEvent.newBuilder(TestEvents.event("470", AlarmEventStatus.CREATED))
                .setEventTime(Instant.parse("2024-06-02T03:04:05.123Z")).build();

        DeliveryResult result = notifier.notify(event, integration("plugin", "alert_file.sh", "mode", "pacemaker",
                "recipient", "/var/log/pcmk_alert_file.log", "timestamp-format", "%Y-%m-%d,%H:%M:%S.%06N",
                "env.debug_exec_order", "false", "env.TOKEN", "s3cr3t"));

        assertThat(result).isInstanceOf(DeliveryResult.Delivered.class);
        Map<String, String> expected = new TreeMap<>();
        expected.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        expected.put("LANG", "C.UTF-8");
        expected.put("CRM_alert_kind", "resource");
        expected.put("CRM_alert_version", "tocsin-0.1");
        expected.put("CRM_alert_recipient", "/var/log/pcmk_alert_file.log");
        expected.put("CRM_alert_node", "db1.example.org");
        expected.put("CRM_alert_node_sequence", "1717297445123");
        expected.put("CRM_alert_timestamp", "2024-06-02,03:04:05.123000");
        expected.put("CRM_alert_timestamp_epoch", "1717297445");
        expected.put("CRM_alert_timestamp_usec", "123000");
        expected.put("CRM_alert_rsc", "MySqlDisconnected");
        expected.put("CRM_alert_task", "monitor");
        expected.put("CRM_alert_interval", "0");
        expected.put("CRM_alert_desc", "Server db1 reports: Disconnected");
        expected.put("CRM_alert_status", "0");
        expected.put("CRM_alert_rc", "1");
        expected.put("CRM_alert_target_rc", "0");
        expected.put("CRM_alert_exec_time", "0");
        expected.put("TOCSIN_ALARM_KEY", "cmon:470");
        expected.put("TOCSIN_EVENT_ID", "cmon:470/1735787045000/1");
        expected.put("TOCSIN_STATUS", "CREATED");
        expected.put("TOCSIN_SEVERITY", "CRITICAL");
        expected.put("TOCSIN_CLUSTER", "prod-galera");
        expected.put("TOCSIN_HOSTNAME", "db1.example.org");
        expected.put("TOCSIN_COMPONENT", "Node");
        expected.put("TOCSIN_TITLE", "Server db1 reports: Disconnected");
        expected.put("TOCSIN_MESSAGE", "Server db1:3306 is disconnected.");
        expected.put("TOCSIN_RECOMMENDATION", "Restart failed node");
        expected.put("debug_exec_order", "false");
        expected.put("TOKEN", "s3cr3t");
        // Nothing of the JVM's own environment (HOME, USER, JAVA_HOME, credentials) reaches the plugin.
        assertThat(scripts.recordedEnvironment()).isEqualTo(expected)
                .doesNotContainKeys("HOME", "USER", "JAVA_HOME", "PWD", "SHELL");
        assertThat(scripts.written("stdin.bin")).isEmpty();
    }

    @Test
    void anEndedAlarmIsASuccessfulMonitorAtPacemakersDefaultTimestampFormat() throws Exception {
        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.ENDED),
                integration("plugin", "alert_file.sh", "mode", "pacemaker"));

        assertThat(result).isInstanceOf(DeliveryResult.Delivered.class);
        Map<String, String> environment = scripts.recordedEnvironment();
        assertThat(environment)
                .containsEntry("CRM_alert_desc", "Done")
                .containsEntry("CRM_alert_rc", "0")
                .containsEntry("CRM_alert_status", "0")
                .containsEntry("CRM_alert_target_rc", "0")
                .containsEntry("CRM_alert_recipient", "")
                .containsEntry("CRM_alert_timestamp", "03:04:08.000000")
                .containsEntry("CRM_alert_timestamp_epoch", "1735787048")
                .containsEntry("CRM_alert_timestamp_usec", "000000")
                .containsEntry("CRM_alert_node_sequence", "1735787048000")
                .containsEntry("TOCSIN_STATUS", "ENDED")
                .containsEntry("TOCSIN_TITLE", "Server db1 reports: Disconnected");
        assertThat(environment.keySet()).filteredOn(name -> !name.startsWith("CRM_alert_") && !name.startsWith("TOCSIN_"))
                .containsExactlyInAnyOrder("PATH", "LANG");
    }

    @Test
    void aClusterWideAlarmNamesTheClusterAsTheNodeAndLosesItsNulCharacters() throws Exception {
        AlarmEvent event = AlarmEvent.newBuilder(TestEvents.event("9", AlarmEventStatus.CREATED))
                .setHostname("").setTitle("quorum\0 lost").build();

        assertThat(notifier.notify(event, integration("plugin", "alert_file.sh", "mode", "pacemaker")))
                .isInstanceOf(DeliveryResult.Delivered.class);

        assertThat(scripts.recordedEnvironment())
                .containsEntry("CRM_alert_node", "prod-galera")
                .containsEntry("CRM_alert_desc", "quorum lost")
                .containsEntry("TOCSIN_HOSTNAME", "");
    }

    @Test
    void aStockStyleAgentWritesPacemakersResourceLine() throws Exception {
        // The resource branch of Pacemaker's alert_file.sh.sample, reduced to what our mapping exercises.
        scripts.script("agent.sh", """
                [ -z "$CRM_alert_version" ] && exit 0
                [ -z "$CRM_alert_recipient" ] && exit 0
                case $CRM_alert_kind in
                    resource)
                        echo "$CRM_alert_timestamp: Resource operation '$CRM_alert_task' for '$CRM_alert_rsc' on '$CRM_alert_node': $CRM_alert_desc" >> "$CRM_alert_recipient"
                        ;;
                esac
                """);
        Path log = directory.resolve("alerts.log");

        notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED),
                integration("plugin", "agent.sh", "mode", "pacemaker", "recipient", log.toString()));
        notifier.notify(TestEvents.event("470", AlarmEventStatus.ENDED),
                integration("plugin", "agent.sh", "mode", "pacemaker", "recipient", log.toString()));

        assertThat(Files.readString(log)).isEqualTo(
                "03:04:06.000000: Resource operation 'monitor' for 'MySqlDisconnected' on 'db1.example.org': Server db1 reports: Disconnected\n"
                + "03:04:08.000000: Resource operation 'monitor' for 'MySqlDisconnected' on 'db1.example.org': Done\n");
    }
}
