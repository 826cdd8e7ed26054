package io.tocsin.cloud.network;

import static io.tocsin.cloud.provider.aws.AwsWireMock.params;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.cloud.api.CloudServiceHarness;
import io.tocsin.cloud.api.CredentialBodies;
import io.tocsin.cloud.provider.aws.AwsWireMock;
import io.tocsin.testing.CapturedLogs;
import io.tocsin.testing.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The AWS VPC API end to end: a cloud service on a real broker, an AWS credential made through the API, EC2
 * overridden to WireMock serving the answers the EC2 API reference documents. Checks each list as the API gives it,
 * the parameters CreateVpc, CreateSubnet and DeleteSubnet were sent with (Name tag included), that invalid fields
 * are refused naming them before anything reaches EC2, and that no answer or log line holds the secret.
 */
@ExtendWith(KafkaBrokerExtension.class)
class VpcApiTest {

    static final ObjectMapper JSON = new ObjectMapper();

    CapturedLogs logs;
    AwsWireMock aws;
    CloudServiceHarness cloud;
    String base;

    @BeforeEach
    void start() throws Exception {
        logs = new CapturedLogs();
        aws = new AwsWireMock();
        cloud = new CloudServiceHarness().with("tocsin.cloud.aws.ec2-endpoint", aws.url()).with("tocsin.cloud.aws.max-attempts", 1).start();
        base = "/api/v1/cloud/credentials/" + AwsWireMock.createThroughApi(cloud);
    }

    @AfterEach
    void stop() {
        assertThat(String.join("\n", cloud.answers)).doesNotContain(AwsWireMock.SECRET).doesNotContain(AwsWireMock.SESSION_TOKEN);
        assertThat(logs.text()).doesNotContain(AwsWireMock.SECRET).doesNotContain(AwsWireMock.SESSION_TOKEN);
        assertThat(aws.exchanged()).doesNotContain(AwsWireMock.SECRET);
        cloud.close();
        aws.close();
        logs.close();
    }

    @Test
    void aRegionsNetworkListsEveryResourceKind() throws Exception {
        HttpResponse<String> answer = cloud.call("GET", base + "/vpcs?region=us-east-2", null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode network = JSON.readTree(answer.body());

        assertThat(network.get("region").asText()).isEqualTo("us-east-2");
        assertThat(network.get("vpcs")).extracting(vpc -> vpc.get("vpcId").asText() + " " + vpc.get("name").asText())
                .containsExactly("vpc-06e4ab6c6cEXAMPLE Shared VPC", "vpc-081ec835f3EXAMPLE MyVPC", "vpc-0ee975135dEXAMPLE ");
        assertThat(network.get("vpcs").get(1)).isEqualTo(JSON.readTree("""
                {"vpcId": "vpc-081ec835f3EXAMPLE", "name": "MyVPC", "cidrBlock": "10.0.1.0/24", "cidrBlocks": ["10.0.1.0/24"],
                 "ipv6CidrBlocks": [], "state": "available", "defaultVpc": false, "dhcpOptionsId": "dopt-19edf471",
                 "instanceTenancy": "default", "ownerId": "111122223333"}"""));
        assertThat(network.get("subnets")).extracting(subnet -> subnet.get("subnetId").asText())
                .containsExactly("subnet-02bf4c428bf44ebce", "subnet-0bb1c79de301436ee");
        assertThat(network.get("subnets").get(0).get("ipv6CidrBlocks").toString()).isEqualTo("[\"2600:1f16:115:200::/64\"]");
        assertThat(network.get("subnets").get(1).get("availableIpAddressCount").asInt()).isEqualTo(251);
        JsonNode table = network.get("routeTables").get(0);
        assertThat(table.get("main").asBoolean()).isTrue();
        assertThat(table.get("routes")).extracting(route -> route.get("destination").asText() + " " + route.get("target").asText())
                .containsExactly("10.0.1.0/32 igw-012345678901abcdef", "172.31.0.0/16 local", "0.0.0.0/0 igw-012345678901abcdef");
        assertThat(network.get("internetGateways").get(1).get("attachments").toString())
                .isEqualTo("[{\"vpcId\":\"vpc-cEXAMPLE\",\"state\":\"available\"}]");
        JsonNode acl = network.get("networkAcls").get(1);
        assertThat(acl.get("networkAclId").asText()).isEqualTo("acl-0ea1f54ca7EXAMPLE");
        assertThat(acl.get("subnetIds").toString()).isEqualTo("[\"subnet-0931fc2fa5EXAMPLE\"]");
        assertThat(acl.get("entries")).extracting(entry -> entry.get("egress").asBoolean() + " " + entry.get("ruleNumber").asInt()
                + " " + entry.get("ruleAction").asText()).containsExactly("false 100 allow", "false 32767 deny", "true 100 allow",
                "true 32767 deny");
        JsonNode group = network.get("securityGroups").get(0);
        assertThat(group.get("inbound")).extracting(JsonNode::toString).containsExactly(
                "{\"protocol\":\"tcp\",\"fromPort\":22,\"toPort\":22,\"sources\":[\"0.0.0.0/0\"]}",
                "{\"protocol\":\"icmp\",\"fromPort\":-1,\"toPort\":-1,\"sources\":[\"sg-11aa22bb\"]}");
        assertThat(group.get("outbound").get(0).get("sources").toString()).isEqualTo("[\"0.0.0.0/0\"]");
        assertThat(network.get("dhcpOptions").get(0).get("options").toString()).isEqualTo(
                "[{\"key\":\"domain-name\",\"values\":[\"us-east-2.compute.internal\"]},"
                        + "{\"key\":\"domain-name-servers\",\"values\":[\"AmazonProvidedDNS\"]}]");
        assertThat(network.get("instances")).singleElement().satisfies(instance -> {
            assertThat(instance.get("instanceId").asText()).isEqualTo("i-1234567890abcdef0");
            assertThat(instance.get("vpcId").asText()).isEqualTo("vpc-11112222");
            assertThat(instance.get("subnetId").asText()).isEqualTo("subnet-56f5f633");
        });

        // Every Describe call, paged, in the asked region; instances filtered to the running ones.
        for (String action : List.of("DescribeVpcs", "DescribeSubnets", "DescribeRouteTables", "DescribeInternetGateways",
                "DescribeNetworkAcls", "DescribeSecurityGroups", "DescribeDhcpOptions", "DescribeInstances")) {
            assertThat(aws.requests(action)).as(action).singleElement().satisfies(request -> {
                assertThat(params(request)).containsEntry("MaxResults", "100");
                assertThat(request.getHeader("Authorization")).contains("/us-east-2/ec2/aws4_request");
            });
        }
        assertThat(params(aws.requests("DescribeInstances").getFirst())).containsEntry("Filter.1.Name", "instance-state-name")
                .containsEntry("Filter.1.Value.1", "running");
    }

    @Test
    void aVpcAndASubnetAreCreatedWithTheirNameTagAndASubnetDeleted() throws Exception {
        HttpResponse<String> vpc = cloud.call("POST", base + "/vpcs", "{\"cidrBlock\": \"10.32.0.0/16\", \"name\": \"production\"}");
        assertThat(vpc.statusCode()).as(vpc.body()).isEqualTo(201);
        assertThat(JSON.readTree(vpc.body()).get("vpcId").asText()).isEqualTo("vpc-07ddea827dEXAMPLE");
        assertThat(JSON.readTree(vpc.body()).get("state").asText()).isEqualTo("pending");
        assertThat(params(aws.requests("CreateVpc").getFirst())).containsExactly(Map.entry("Action", "CreateVpc"),
                Map.entry("Version", "2016-11-15"), Map.entry("CidrBlock", "10.32.0.0/16"),
                Map.entry("TagSpecification.1.ResourceType", "vpc"), Map.entry("TagSpecification.1.Tag.1.Key", "Name"),
                Map.entry("TagSpecification.1.Tag.1.Value", "production"));
        assertThat(cloud.call("POST", base + "/vpcs", "{\"cidrBlock\": \"10.33.0.0/16\", \"region\": \"us-east-2\"}").statusCode()).isEqualTo(201);
        assertThat(params(aws.requests("CreateVpc").get(1))).as("no name, no tag").doesNotContainKey("TagSpecification.1.ResourceType");
        assertThat(aws.requests("CreateVpc").get(1).getHeader("Authorization")).contains("/us-east-2/ec2/");

        HttpResponse<String> subnet = cloud.call("POST", base + "/vpcs/vpc-06b7830650EXAMPLE/subnets",
                "{\"cidrBlock\": \"10.0.0.0/24\", \"availabilityZone\": \"us-east-2a\", \"name\": \"app-a\", \"region\": \"us-east-2\"}");
        assertThat(subnet.statusCode()).as(subnet.body()).isEqualTo(201);
        assertThat(JSON.readTree(subnet.body()).get("subnetId").asText()).isEqualTo("subnet-0397b6c47c42e4dc0");
        assertThat(JSON.readTree(subnet.body()).get("availabilityZone").asText()).isEqualTo("us-east-2a");
        assertThat(params(aws.requests("CreateSubnet").getFirst())).containsEntry("VpcId", "vpc-06b7830650EXAMPLE")
                .containsEntry("CidrBlock", "10.0.0.0/24").containsEntry("AvailabilityZone", "us-east-2a")
                .containsEntry("TagSpecification.1.ResourceType", "subnet").containsEntry("TagSpecification.1.Tag.1.Value", "app-a");

        assertThat(cloud.call("DELETE", base + "/subnets/subnet-0397b6c47c42e4dc0?region=us-east-2", null).statusCode()).isEqualTo(204);
        assertThat(params(aws.requests("DeleteSubnet").getFirst())).containsExactly(Map.entry("Action", "DeleteSubnet"),
                Map.entry("Version", "2016-11-15"), Map.entry("SubnetId", "subnet-0397b6c47c42e4dc0"));
        assertThat(logs.text()).contains("created VPC vpc-07ddea827dEXAMPLE (10.32.0.0/16) in eu-west-1",
                "deleted subnet subnet-0397b6c47c42e4dc0 in us-east-2");
    }

    @Test
    void invalidFieldsAreRefusedNamingThemBeforeAnythingReachesEc2() throws Exception {
        assertThat(problem(cloud.call("POST", base + "/vpcs", "{\"cidrBlock\": \"10.0.0.1/16\"}")))
                .containsExactly("cidrBlock: must be a network address: 10.0.0.0/16 (host bits zero)");
        assertThat(problem(cloud.call("POST", base + "/vpcs", "{\"cidrBlock\": \"10.0.0.0/8\"}")))
                .containsExactly("cidrBlock: must have a prefix length from /16 to /28 (AWS's VPC and subnet sizes)");
        assertThat(fields(cloud.call("POST", base + "/vpcs", "{\"cidrBlock\": \"300.1.0.0/16\"}"))).containsExactly("cidrBlock");
        assertThat(fields(cloud.call("POST", base + "/vpcs", "{\"cidrBlock\": \"010.1.0.0/16\"}"))).containsExactly("cidrBlock");
        assertThat(fields(cloud.call("POST", base + "/vpcs", "{\"cidrBlock\": \"fd00::/56\"}"))).containsExactly("cidrBlock");
        assertThat(fields(cloud.call("POST", base + "/vpcs", "{\"cidrBlock\": \"\"}"))).containsExactly("cidrBlock");
        assertThat(fields(cloud.call("POST", base + "/vpcs", "{\"name\": \"x\", \"region\": \"Europe\", \"tenancy\": \"dedicated\"}")))
                .containsExactlyInAnyOrder("tenancy", "region", "cidrBlock");
        assertThat(fields(cloud.call("POST", base + "/vpcs", "{\"cidrBlock\": \"10.1.0.0/16\", \"name\": \"" + "n".repeat(257) + "\"}")))
                .containsExactly("name");
        assertThat(fields(cloud.call("POST", base + "/vpcs/vpc-0123/subnets", "{\"cidrBlock\": \"10.1.0.0/30\", \"availabilityZone\": \"A\"}")))
                .containsExactlyInAnyOrder("cidrBlock", "availabilityZone");
        assertThat(fields(cloud.call("POST", base + "/vpcs/subnet-0123/subnets", "{\"cidrBlock\": \"10.1.0.0/24\"}"))).containsExactly("vpcId");
        assertThat(fields(cloud.call("DELETE", base + "/subnets/vpc-0123?region=eu-west-1a", null))).containsExactly("subnetId", "region");
        assertThat(fields(cloud.call("GET", base + "/vpcs?region=mars-1", null))).containsExactly("region");
        assertThat(aws.server.getAllServeEvents()).as("nothing reached EC2").isEmpty();
    }

    @Test
    void otherProvidersCredentialsAndAwsRefusalsAreAnswered() throws Exception {
        HttpResponse<String> created = cloud.call("POST", "/api/v1/cloud/credentials", CredentialBodies.azure("azure"));
        String azure = "/api/v1/cloud/credentials/" + JSON.readTree(created.body()).get("id").asText();
        HttpResponse<String> notAws = cloud.call("GET", azure + "/vpcs", null);
        assertThat(fields(notAws)).containsExactly("id");
        assertThat(JSON.readTree(notAws.body()).get("detail").asText()).endsWith("is a azure credential; the VPC API works with AWS credentials only");
        assertThat(fields(cloud.call("POST", azure + "/vpcs", "{\"cidrBlock\": \"10.1.0.0/16\"}"))).containsExactly("id");
        assertThat(cloud.call("GET", "/api/v1/cloud/credentials/nope/vpcs", null).statusCode()).isEqualTo(404);

        aws.stub("CreateVpc", 403, "ec2-error-UnauthorizedOperation.xml");
        aws.stub("DeleteSubnet", 400, "ec2-error-InvalidParameterValue.xml");
        aws.stub("DescribeRouteTables", 500, "ec2-error-InternalError.xml");
        assertThat(cloud.call("POST", base + "/vpcs", "{\"cidrBlock\": \"10.1.0.0/16\"}").statusCode()).isEqualTo(422);
        assertThat(cloud.call("DELETE", base + "/subnets/subnet-0123", null).statusCode()).isEqualTo(400);
        HttpResponse<String> unavailable = cloud.call("GET", base + "/vpcs", null);
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(unavailable.body()).get("detail").asText()).startsWith("AWS EC2 DescribeRouteTables (eu-west-1) failed: InternalError");
    }

    static List<String> problem(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        List<String> errors = new ArrayList<>();
        JSON.readTree(response.body()).get("errors").forEach(error -> errors.add(error.get("field").asText() + ": "
                + error.get("message").asText()));
        return errors;
    }

    static List<String> fields(HttpResponse<String> response) throws Exception {
        return problem(response).stream().map(error -> error.substring(0, error.indexOf(':'))).toList();
    }
}
