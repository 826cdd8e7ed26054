package io.tocsin.cloud.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.tocsin.testing.OpenApiDocument;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The instances and VPC endpoints in the cloud service's OpenAPI document: there, every body described by its fields
 * (the document-wide check), the terminate confirmation and the new VPC's CIDR block required, the network answer
 * listing every resource kind of seed 000's VPC page.
 */
class CloudAwsApiDocumentTest {

    @Test
    void theInstancesAndVpcEndpointsAreDocumented() {
        Map<String, Object> document = OpenApiDocument.assertServiceDocs("cloud");
        String credential = "/api/v1/cloud/credentials/{id}";
        assertThat(OpenApiDocument.at(document, "paths")).containsKeys(credential + "/instances",
                credential + "/instances/{instanceId}/stop", credential + "/instances/{instanceId}/reboot",
                credential + "/instances/{instanceId}/terminate", credential + "/vpcs", credential + "/vpcs/{vpcId}/subnets",
                credential + "/subnets/{subnetId}");
        assertThat(OpenApiDocument.at(document, "paths", credential + "/instances/{instanceId}/terminate", "post", "responses"))
                .containsKeys("202", "400", "404", "422", "503");
        assertThat(OpenApiDocument.at(document, "components", "schemas", "CloudInstanceTerminateConfirmation").get("required"))
                .hasToString("[confirm]");
        assertThat(OpenApiDocument.at(document, "components", "schemas", "AwsNewVpc").get("required")).hasToString("[cidrBlock]");
        assertThat(OpenApiDocument.at(document, "components", "schemas", "AwsNetwork", "properties")).containsOnlyKeys("region", "vpcs",
                "subnets", "routeTables", "internetGateways", "networkAcls", "securityGroups", "dhcpOptions", "instances");
        assertThat(OpenApiDocument.at(document, "components", "schemas", "CloudInstance", "properties")).containsOnlyKeys("id", "name",
                "state", "providerState", "type", "location", "privateAddresses", "publicAddresses");
    }
}
