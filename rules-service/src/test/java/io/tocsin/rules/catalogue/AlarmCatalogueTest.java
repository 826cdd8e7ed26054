package io.tocsin.rules.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.schema.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlarmCatalogueTest {

    final AlarmCatalogue catalogue = new AlarmCatalogue();

    @Test
    void theShippedRulesGiveEveryCatalogueTypeItsSeverityAreaAndCategories() {
        assertThat(SeedCatalogue.TYPES).hasSize(38);
        SeedCatalogue.TYPES.forEach((type, expected) ->
                assertThat(catalogue.lookup(type, "ignored for a known type")).as(type).isEqualTo(expected));
    }

    @Test
    void unknownTypesAreWarningsInTheCategoryOfTheirComponent() {
        assertThat(catalogue.lookup("SomethingNew", "backup"))
                .isEqualTo(new AlarmType("SomethingNew", Severity.WARNING, "backup", List.of("Backup")));
        assertThat(catalogue.lookup("SomethingNew", null))
                .isEqualTo(new AlarmType("SomethingNew", Severity.WARNING, "Other", List.of()));
    }
}
