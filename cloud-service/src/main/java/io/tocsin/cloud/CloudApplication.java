package io.tocsin.cloud;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/**
 * The cloud service on its own: {@code java -jar cloud-service/target/tocsin-cloud-service.jar}. It keeps the AWS,
 * Google Cloud and Azure credentials ({@code /api/v1/cloud/credentials}, secret fields encrypted with
 * {@code tocsin.secrets.key} in {@code tocsin.cloud.credentials}, docs/cloud.md) besides {@code /health} and
 * {@code /prometheus}, and acts on instances and AWS VPCs with them; the README's "What works today" has the rest.
 */
@OpenAPIDefinition(info = @Info(title = "tocsin-cloud", version = "0.1",
        description = "Cloud credentials for AWS, Google Cloud and Azure (admin token): stored encrypted, secret fields "
                + "write-only and answered as \"<redacted>\", verified with the provider on request; the instances of a "
                + "credential (list, stop, reboot, terminate) and AWS VPCs. See docs/cloud.md."))
public final class CloudApplication {

    private CloudApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(CloudApplication.class).environments("cloud").start();
    }
}
