package io.tocsin.rules.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.tocsin.common.http.Problem;
import io.tocsin.common.http.ProblemException;
import io.tocsin.rules.definition.RuleSet;
import io.tocsin.rules.view.RuleView;
import java.util.List;

/**
 * {@code GET /api/v1/rules}: the rules in force (admin token): the shipped defaults with the rules of
 * {@code tocsin.rules.rules-dir} replacing them type by type, in load order. The rule set is loaded once at start,
 * so this is what the running topology applies.
 */
@Controller("/api/v1/rules")
public class RuleController {

    private final RuleSet rules;

    public RuleController(RuleSet rules) {
        this.rules = rules;
    }

    @Operation(summary = "Effective rules", description = "Every rule with its thresholds, aggregation, timing, templates and overrides")
    @Get(produces = MediaType.APPLICATION_JSON)
    public List<RuleView> listRules(@Nullable @QueryValue @Parameter(description = "Only the rule of this alarm type") String type) {
        return rules.rules().stream().filter(rule -> type == null || type.isBlank() || rule.type().equals(type.strip()))
                .map(RuleView::of).toList();
    }

    @Operation(summary = "The rule of one alarm type")
    @ApiResponse(responseCode = "404", description = "No rule has that type",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get(value = "/{type}", produces = MediaType.APPLICATION_JSON)
    public RuleView getRule(@PathVariable String type) {
        return rules.rule(type).map(RuleView::of).orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND,
                "No rule has the alarm type '" + type + "' (types are case-sensitive, e.g. HostCpuUsage); GET /api/v1/rules lists them"));
    }
}
