package io.tocsin.rules.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.schema.AlarmState;
import io.tocsin.schema.Severity;
import io.tocsin.schema.wire.FieldError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link AlarmFilter} on alarm states built directly: the {@code silenced} filter (nothing in today's topology
 * silences an alarm, so the API test cannot show {@code silenced=true} selecting one) and how values are read.
 */
class AlarmFilterTest {

    static AlarmState alarm(String id, boolean silenced) {
        return AlarmState.newBuilder().setAlarmKey("cc-1:" + id).setSource("cc-1").setAlarmId(id).setSeverity(Severity.WARNING)
                .setType("HostCpuUsage").setComponent("Host").setCategories(List.of("Host")).setCluster("prod").setHostname("db1")
                .setTitle("CPU on db1").setMessage("").setRecommendation("").setLabels(Map.of()).setOpenedAt(Instant.EPOCH)
                .setUpdatedAt(Instant.EPOCH).setSequence(1).setSilenced(silenced).setSilencedBy(silenced ? "maint-1" : null).build();
    }

    static AlarmFilter filter(String silenced, List<FieldError> errors) {
        return AlarmFilter.parse(new AlarmFilterParameters(null, null, null, null, null, null, null, silenced, null), errors);
    }

    @Test
    void silencedSelectsEitherSide() {
        List<FieldError> errors = new ArrayList<>();
        AlarmState held = alarm("1", true);
        AlarmState notified = alarm("2", false);
        assertThat(List.of(held, notified)).filteredOn(filter("true", errors)).containsExactly(held);
        assertThat(List.of(held, notified)).filteredOn(filter("False", errors)).containsExactly(notified);
        assertThat(List.of(held, notified)).filteredOn(filter(null, errors)).containsExactly(held, notified);
        assertThat(errors).isEmpty();
    }

    @Test
    void everyBadParameterIsNamedAtOnce() {
        List<FieldError> errors = new ArrayList<>();
        AlarmFilter.parse(new AlarmFilterParameters(List.of("WARNING,LOUD"), List.of("Host", "Kitchen"), List.of("x".repeat(300)),
                null, null, List.of(String.join(",", Collections.nCopies(51, "s"))), null, "yes", "q".repeat(257)), errors);
        assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder("severity", "category", "type", "source", "silenced", "q");
    }
}
