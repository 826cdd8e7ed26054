package io.tocsin.dispatcher;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** The dispatcher service on its own: {@code java -jar dispatcher-service/target/tocsin-dispatcher-service.jar}. */
@OpenAPIDefinition(info = @Info(title = "tocsin-dispatcher", version = "0.1",
        description = "Integrations, the delivery log and DLQ replay. Every /api request needs 'Authorization: Bearer <admin token>'."))
public final class DispatcherApplication {

    private DispatcherApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(DispatcherApplication.class).environments("dispatcher").start();
    }
}
