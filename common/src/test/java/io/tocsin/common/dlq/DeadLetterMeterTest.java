package io.tocsin.common.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class DeadLetterMeterTest {

    @Test
    void theServiceIsTheStagePrefixAndAStageWithoutOneIsItsOwnService() {
        assertThat(DeadLetterMeter.serviceOf("rules/raw-alarm-decoder")).isEqualTo("rules");
        assertThat(DeadLetterMeter.serviceOf("dispatcher/ops/pager")).isEqualTo("dispatcher");
        assertThat(DeadLetterMeter.serviceOf("replay")).isEqualTo("replay");
        assertThat(DeadLetterMeter.serviceOf("/odd")).isEqualTo("/odd");
    }

    @Test
    void aCounterAskedForIsRegisteredAtZeroAndTheSameSeriesIsReturnedAgain() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        var counter = DeadLetterMeter.counter(meters, "tocsin.raw.alarms", "rules/raw-alarm-decoder");
        assertThat(meters.get("tocsin.dlq.records").tags("service", "rules", "stage", "rules/raw-alarm-decoder", "topic", "tocsin.raw.alarms")
                .counter().count()).isZero();
        DeadLetterMeter.counter(meters, "tocsin.raw.alarms", "rules/raw-alarm-decoder").increment(2);
        assertThat(counter.count()).isEqualTo(2.0);
        assertThat(meters.find("tocsin.dlq.records").counters()).hasSize(1);
    }
}
