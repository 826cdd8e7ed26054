package io.tocsin.collector.ingest.clustercontrol;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.schema.Severity;
import org.junit.jupiter.api.Test;

/** ClusterControl's severities, components and types in Tocsin's words. */
class ClusterControlVocabularyTest {

    @Test
    void severitiesOfBothShapesAndNothingElse() {
        assertThat(ClusterControlVocabulary.severity("ALARM_WARNING")).contains(Severity.WARNING);
        assertThat(ClusterControlVocabulary.severity("ALARM_CRITICAL")).contains(Severity.CRITICAL);
        assertThat(ClusterControlVocabulary.severity("WARNING")).contains(Severity.WARNING);
        assertThat(ClusterControlVocabulary.severity(" critical ")).contains(Severity.CRITICAL);
        assertThat(ClusterControlVocabulary.severity("ALARM_UNDEFINED")).isEmpty();
        assertThat(ClusterControlVocabulary.severity("ALARM_")).isEmpty();
    }

    @Test
    void componentsTakeSeed000sCategoryNames() {
        assertThat(ClusterControlVocabulary.component("Node")).isEqualTo("Node");
        assertThat(ClusterControlVocabulary.component("CmonDatabase")).isEqualTo("CMON Database");
        assertThat(ClusterControlVocabulary.component("DbPerformance")).isEqualTo("Database Performance");
        assertThat(ClusterControlVocabulary.component("ClusterRecovery")).isEqualTo("Cluster Recovery");
        assertThat(ClusterControlVocabulary.component(" Something New ")).isEqualTo("Something New");
    }

    @Test
    void typesWithoutAComponentGetTheAreaOfSeed000sTables() {
        assertThat(ClusterControlVocabulary.componentOfType("HostUnreachable")).isEqualTo("Network");
        assertThat(ClusterControlVocabulary.componentOfType("HostSshSlow")).isEqualTo("Network");
        assertThat(ClusterControlVocabulary.componentOfType("HostCpuUsage")).isEqualTo("Host");
        assertThat(ClusterControlVocabulary.componentOfType("BackupFailed")).isEqualTo("Backup");
        assertThat(ClusterControlVocabulary.componentOfType("ClusterFailure")).isEqualTo("Cluster");
        assertThat(ClusterControlVocabulary.componentOfType("ClusterRecoveryFail")).isEqualTo("Cluster Recovery");
        assertThat(ClusterControlVocabulary.componentOfType("MySqlDisconnected")).isEqualTo("Node");
        assertThat(ClusterControlVocabulary.componentOfType("GaleraSstAuth")).isEqualTo("Node");
    }

    @Test
    void aTitleGivesAStableTypeWithoutAddressesOrNumbers() {
        assertThat(ClusterControlVocabulary.typeFromTitle("Server disconnected")).isEqualTo("ServerDisconnected");
        assertThat(ClusterControlVocabulary.typeFromTitle("Host 192.168.20.62 is not responding"))
                .isEqualTo(ClusterControlVocabulary.typeFromTitle("Host 10.0.0.1 is not responding"))
                .isEqualTo("HostIsNotResponding");
        assertThat(ClusterControlVocabulary.typeFromTitle("CPU usage > 90%")).isEqualTo("CPUUsage");
        assertThat(ClusterControlVocabulary.typeFromTitle("42 / 17")).isEqualTo(ClusterControlVocabulary.FALLBACK_TYPE);
        assertThat(ClusterControlVocabulary.typeFromTitle(null)).isEqualTo(ClusterControlVocabulary.FALLBACK_TYPE);
        assertThat(ClusterControlVocabulary.typeFromTitle("word ".repeat(40))).hasSize(64);
    }
}
