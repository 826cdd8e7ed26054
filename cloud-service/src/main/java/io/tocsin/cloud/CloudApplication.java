package io.tocsin.cloud;

import io.micronaut.runtime.Micronaut;

/**
 * The cloud service on its own: {@code java -jar cloud-service/target/tocsin-cloud-service.jar}. So far it serves
 * only {@code /health} and {@code /prometheus}; credentials, instances and backup upload are not implemented
 * yet (see README, "What works today").
 */
public final class CloudApplication {

    private CloudApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(CloudApplication.class).environments("cloud").start();
    }
}
