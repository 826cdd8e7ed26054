package io.tocsin.cloud;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/**
 * The cloud service on its own: {@code java -jar cloud-service/target/tocsin-cloud-service.jar}. So far it serves
 * only {@code /health} and {@code /prometheus}; credentials, instances and backup upload are not implemented
 * yet (see README, "What works today").
 */
@OpenAPIDefinition(info = @Info(title = "tocsin-cloud", version = "0.1",
        description = "Credentials, instances and backups: not implemented yet; the service answers /health and /prometheus only."))
public final class CloudApplication {

    private CloudApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(CloudApplication.class).environments("cloud").start();
    }
}
