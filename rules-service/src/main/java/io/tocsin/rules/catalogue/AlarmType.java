package io.tocsin.rules.catalogue;

import io.tocsin.schema.Severity;
import java.util.List;

/**
 * What the catalogue knows of an alarm type: the severity it has when the source does not say, its area
 * (ClusterControl's component) and its event categories.
 */
public record AlarmType(String name, Severity defaultSeverity, String component, List<String> categories) {
}
