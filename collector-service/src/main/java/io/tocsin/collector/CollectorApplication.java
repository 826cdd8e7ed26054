package io.tocsin.collector;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** The collector service on its own: {@code java -jar collector-service/target/tocsin-collector-service.jar}. */
@OpenAPIDefinition(info = @Info(title = "tocsin-collector", version = "0.1",
        description = "Ingest of raw alarms and metrics into Kafka. Every /api request needs 'Authorization: Bearer <ingest token>'."))
public final class CollectorApplication {

    private CollectorApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(CollectorApplication.class).environments("collector").start();
    }
}
