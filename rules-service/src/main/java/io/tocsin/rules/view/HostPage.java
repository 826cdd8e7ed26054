package io.tocsin.rules.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** One page of hosts, sorted by name, with the total matching the filters. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "HostPage")
public record HostPage(long total, int page, int size, List<HostView> items) {
}
