package io.tocsin.schema.validation;

import io.tocsin.schema.HostMetric;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.RecordValidator;
import java.util.ArrayList;
import java.util.List;

/** Rules of a {@link HostMetric} beyond its schema: named host and metric, finite value, bounded sizes. */
public final class HostMetricValidator implements RecordValidator<HostMetric> {

    @Override
    public List<FieldError> validate(HostMetric metric) {
        List<FieldError> errors = new ArrayList<>();
        Checks.required(errors, "host", metric.getHost(), RawAlarmValidator.MAX_NAME);
        Checks.name(errors, "metric", metric.getMetric(), RawAlarmValidator.MAX_NAME);
        Checks.maxLength(errors, "cluster", metric.getCluster(), RawAlarmValidator.MAX_NAME);
        Checks.maxLength(errors, "instance", metric.getInstance(), RawAlarmValidator.MAX_TEXT);
        if (!Double.isFinite(metric.getValue())) {
            errors.add(new FieldError("value", "must be a finite number"));
        }
        Checks.labels(errors, metric.getLabels());
        return errors;
    }
}
