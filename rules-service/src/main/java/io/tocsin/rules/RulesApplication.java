package io.tocsin.rules;

import io.micronaut.runtime.Micronaut;

/** The rules service on its own: {@code java -jar rules-service/target/tocsin-rules-service.jar}. */
public final class RulesApplication {

    private RulesApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(RulesApplication.class).environments("rules").start();
    }
}
