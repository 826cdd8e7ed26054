package io.tocsin.cloud.network;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.tocsin.cloud.api.NoSuchCredential;
import io.tocsin.cloud.api.ProviderErrors;
import io.tocsin.common.http.Problem;

/**
 * Seed 000's AWS VPC page over HTTP (admin token), under {@code /api/v1/cloud/credentials/{id}}: {@code GET vpcs}
 * (one region's network), {@code POST vpcs}, {@code POST vpcs/{vpcId}/subnets}, {@code DELETE subnets/{subnetId}}.
 * Errors are problem+json, see {@link VpcService}.
 */
@Controller("/api/v1/cloud/credentials/{id}")
@ExecuteOn(TaskExecutors.BLOCKING)
public class VpcController {

    private static final String REGION = "AWS region; the credential's defaultRegion when absent";

    private final VpcService vpcs;

    public VpcController(VpcService vpcs) {
        this.vpcs = vpcs;
    }

    @Operation(summary = "One region's AWS network", description = "VPCs, subnets, route tables, internet gateways, network ACLs, "
            + "security groups, DHCP option sets and running instances (ec2:DescribeVpcs, DescribeSubnets, DescribeRouteTables, "
            + "DescribeInternetGateways, DescribeNetworkAcls, DescribeSecurityGroups, DescribeDhcpOptions, DescribeInstances)")
    @ApiResponse(responseCode = "200", description = "The region's network",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NetworkView.class)))
    @ApiResponse(responseCode = "400", description = "Not an AWS credential, or region is not a region name (named in errors)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @NoSuchCredential
    @ProviderErrors
    @Get(value = "/vpcs", produces = MediaType.APPLICATION_JSON)
    public NetworkView network(String id, @Parameter(description = REGION) @Nullable @QueryValue String region) {
        return vpcs.network(id, region);
    }

    @Operation(summary = "Create a VPC", description = "CreateVpc with the Name tag (ec2:CreateVpc, ec2:CreateTags)",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = NetworkRequests.NewVpc.class))))
    @ApiResponse(responseCode = "201", description = "Created (state pending)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NetworkView.Vpc.class)))
    @ApiResponse(responseCode = "400", description = "Invalid fields (cidrBlock, region, name) named in errors, not an AWS "
            + "credential, or AWS refused the request", content = @Content(mediaType = Problem.MEDIA_TYPE,
            schema = @Schema(implementation = Problem.class)))
    @NoSuchCredential
    @ProviderErrors
    @Post(value = "/vpcs", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<NetworkView.Vpc> createVpc(String id, @Body byte[] body) {
        return HttpResponse.status(HttpStatus.CREATED).body(vpcs.createVpc(id, body));
    }

    @Operation(summary = "Create a subnet in a VPC", description = "CreateSubnet with the Name tag (ec2:CreateSubnet, ec2:CreateTags)",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = NetworkRequests.NewSubnet.class))))
    @ApiResponse(responseCode = "201", description = "Created (state pending)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NetworkView.Subnet.class)))
    @ApiResponse(responseCode = "400", description = "Invalid fields (vpcId, cidrBlock, availabilityZone, region, name) named in "
            + "errors, not an AWS credential, or AWS refused the request (e.g. a block outside the VPC's)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "No credential with that id, or AWS knows no such VPC",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ProviderErrors
    @Post(value = "/vpcs/{vpcId}/subnets", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<NetworkView.Subnet> createSubnet(String id, String vpcId, @Body byte[] body) {
        return HttpResponse.status(HttpStatus.CREATED).body(vpcs.createSubnet(id, vpcId, body));
    }

    @Operation(summary = "Delete a subnet", description = "DeleteSubnet (ec2:DeleteSubnet); AWS refuses while instances or "
            + "interfaces use it")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "400", description = "Invalid subnetId or region (named in errors), not an AWS credential, or "
            + "AWS refused (e.g. DependencyViolation: the subnet is in use)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "No credential with that id, or AWS knows no such subnet",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ProviderErrors
    @Delete("/subnets/{subnetId}")
    public HttpResponse<Void> deleteSubnet(String id, String subnetId,
                                           @Parameter(description = REGION) @Nullable @QueryValue String region) {
        vpcs.deleteSubnet(id, subnetId, region);
        return HttpResponse.noContent();
    }
}
