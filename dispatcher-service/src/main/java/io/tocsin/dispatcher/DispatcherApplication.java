package io.tocsin.dispatcher;

import io.micronaut.runtime.Micronaut;

/** The dispatcher service on its own: {@code java -jar dispatcher-service/target/tocsin-dispatcher-service.jar}. */
public final class DispatcherApplication {

    private DispatcherApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(DispatcherApplication.class).environments("dispatcher").start();
    }
}
