package io.tocsin.rules.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One page of open alarms.
 *
 * @param total how many alarms match the filters, over all pages and all instances
 * @param page  the page number, from 0
 * @param size  the page size asked for
 * @param items the alarms of this page, in the order asked for
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "AlarmPage", description = "A page of open alarms with the total matching the filters")
public record AlarmPage(long total, int page, int size, List<AlarmView> items) {
}
