package io.tocsin.dispatcher.channel.plugin;

import static io.tocsin.dispatcher.channel.plugin.PluginScripts.integration;
import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.dispatcher.delivery.DeliveryResult;
import io.tocsin.dispatcher.testing.TestEvents;
import io.tocsin.schema.AlarmEvent;
import io.tocsin.schema.AlarmEventStatus;
import io.tocsin.schema.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default mode: cmon's JSON document on the plugin's standard input (seed 001). */
class ClusterControlModeTest {

    @TempDir
    Path directory;
    private PluginScripts scripts;
    private PluginNotifier notifier;

    @BeforeEach
    void setUp() {
        scripts = new PluginScripts(directory);
        notifier = new PluginNotifier(directory.toString());
    }

    @Test
    void writesCmonsDocumentForANewAlarmOnStandardInput() throws Exception {
        scripts.script("pd.py", PluginScripts.RECORD_STDIN);
        AlarmEvent event = AlarmEvent.newBuilder(TestEvents.event("470", AlarmEventStatus.CREATED))
                .setLabels(Map.of("cid", "7")).build();

        DeliveryResult result = notifier.notify(event, integration("plugin", "pd.py", "cmon-hostname", "cc.example.org"));

        assertThat(result).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(scripts.written("stdin.bin")).isEqualTo("{\"type\":\"alarm\",\"action\":\"new\",\"alarm\":{"
                + "\"id\":470,\"cid\":7,\"cluster\":\"prod-galera\",\"count\":1,\"hostid\":0,\"nodeid\":0,"
                + "\"hostname\":\"db1.example.org\",\"message\":\"Server db1:3306 is disconnected.\","
                + "\"name\":\"Server db1 reports: Disconnected\",\"recommendation\":\"Restart failed node\","
                + "\"severity\":\"ALARM_CRITICAL\",\"type\":\"MySqlDisconnected\",\"component\":\"Node\","
                + "\"alarm_key\":\"cmon:470\",\"event_id\":\"cmon:470/1735787045000/1\"},"
                + "\"cmon_hostname\":\"cc.example.org\"}");
    }

    @Test
    void anEndedAlarmIsARemoveWithThisHostsNameByDefault() throws Exception {
        scripts.script("pd.py", PluginScripts.RECORD_STDIN);

        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.ENDED), integration("plugin", "pd.py"));

        assertThat(result).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(notifier.localHostname()).isNotBlank();
        assertThat(scripts.written("stdin.bin")).isEqualTo("{\"type\":\"alarm\",\"action\":\"remove\",\"alarm\":{"
                + "\"id\":470,\"cid\":0,\"cluster\":\"prod-galera\",\"count\":1,\"hostid\":0,\"nodeid\":0,"
                + "\"hostname\":\"db1.example.org\",\"message\":\"Server db1:3306 is disconnected.\","
                + "\"name\":\"Server db1 reports: Disconnected\",\"recommendation\":\"Restart failed node\","
                + "\"severity\":\"ALARM_CRITICAL\",\"type\":\"MySqlDisconnected\",\"component\":\"Node\","
                + "\"alarm_key\":\"cmon:470\",\"event_id\":\"cmon:470/1735787045000/3\"},"
                + "\"cmon_hostname\":\"" + notifier.localHostname() + "\"}");
    }

    @Test
    void aNonNumericIdAndClusterIdStayAStringAndZero() throws Exception {
        scripts.script("pd.py", PluginScripts.RECORD_STDIN);
        AlarmEvent event = AlarmEvent.newBuilder(TestEvents.event("disk-full-7", AlarmEventStatus.CREATED,
                Severity.WARNING, "c1", List.of())).setLabels(Map.of("cid", "east")).build();

        assertThat(notifier.notify(event, integration("plugin", "pd.py", "cmon-hostname", "cc")))
                .isInstanceOf(DeliveryResult.Delivered.class);

        assertThat(scripts.written("stdin.bin"))
                .startsWith("{\"type\":\"alarm\",\"action\":\"new\",\"alarm\":{\"id\":\"disk-full-7\",\"cid\":0,\"cluster\":\"c1\",")
                .contains("\"severity\":\"ALARM_WARNING\"");
    }

    @Test
    void anUpdatedAlarmIsAnUpdate() {
        assertThat(ClusterControlMessage.of(TestEvents.event("470", AlarmEventStatus.UPDATED), "cc").action()).isEqualTo("update");
    }

    @Test
    void theEnvironmentHoldsOnlyPathLangAndTheEnvSettings() throws Exception {
        scripts.script("pd.py", PluginScripts.RECORD_ENVIRONMENT);

        DeliveryResult result = notifier.notify(TestEvents.event("470", AlarmEventStatus.CREATED),
                integration("plugin", "pd.py", "env.PD_API_KEY", "k-123", "env.region", "eu"));

        assertThat(result).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(scripts.recordedEnvironment()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "PATH", "/usr/local/bin:/usr/bin:/bin", "LANG", "C.UTF-8", "PD_API_KEY", "k-123", "region", "eu"));
    }

    @Test
    void aPluginThatNeverReadsItsInputIsStillDelivered() throws Exception {
        scripts.script("quiet.sh", "exec 0<&-\necho ran > ran.txt\nexit 0\n");
        // Far more than a pipe holds (64 KiB): writing it must meet the closed pipe, and that must not matter.
        AlarmEvent event = AlarmEvent.newBuilder(TestEvents.event("470", AlarmEventStatus.CREATED))
                .setMessage("x".repeat(1 << 20)).build();

        DeliveryResult result = notifier.notify(event, integration("plugin", "quiet.sh"));

        assertThat(result).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(scripts.written("ran.txt")).isEqualTo("ran\n");
    }

    @Test
    void runsInThePluginDirectory() throws Exception {
        scripts.script("where.sh", "pwd -P > where.txt\n");

        assertThat(notifier.notify(TestEvents.event("1", AlarmEventStatus.CREATED), integration("plugin", "where.sh")))
                .isInstanceOf(DeliveryResult.Delivered.class);

        assertThat(scripts.written("where.txt")).isEqualTo(directory.toRealPath() + "\n");
    }
}
