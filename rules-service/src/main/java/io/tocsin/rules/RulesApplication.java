package io.tocsin.rules;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** The rules service on its own: {@code java -jar rules-service/target/tocsin-rules-service.jar}. */
@OpenAPIDefinition(info = @Info(title = "tocsin-rules", version = "0.1",
        description = "Silences (maintenance windows). Every /api request needs 'Authorization: Bearer <admin token>'."))
public final class RulesApplication {

    private RulesApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(RulesApplication.class).environments("rules").start();
    }
}
