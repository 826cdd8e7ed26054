package io.tocsin.cloud.network;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One region's network as seed 000's AWS VPC page shows it: VPCs, subnets, route tables, internet gateways, network
 * ACLs, security groups, DHCP option sets and the running instances, each list as EC2's Describe call gave it (all
 * pages). {@code name} is the resource's {@code Name} tag, empty when it has none. Every field is always present
 * (empty or null when AWS gave nothing), so that clients need not guess.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "AwsNetwork", description = "The VPC resources of one AWS region")
public record NetworkView(
        @Schema(example = "eu-west-1") String region,
        List<Vpc> vpcs,
        List<Subnet> subnets,
        List<RouteTable> routeTables,
        List<InternetGateway> internetGateways,
        List<NetworkAcl> networkAcls,
        List<SecurityGroup> securityGroups,
        List<DhcpOptions> dhcpOptions,
        @Schema(description = "The running instances, by VPC then id") List<VpcInstance> instances) {

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AwsVpc")
    public record Vpc(@Schema(example = "vpc-0ee975135d0123456") String vpcId, String name,
                      @Schema(description = "The primary IPv4 block", example = "10.0.0.0/16") String cidrBlock,
                      @Schema(description = "Every associated IPv4 block, the primary first") List<String> cidrBlocks,
                      List<String> ipv6CidrBlocks,
                      @Schema(example = "available") String state,
                      @Schema(description = "The region's default VPC") boolean defaultVpc, String dhcpOptionsId,
                      @Schema(example = "default") String instanceTenancy, String ownerId) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AwsSubnet")
    public record Subnet(@Schema(example = "subnet-0bb1c79de301436ee") String subnetId, String name, String vpcId,
                         @Schema(example = "10.0.2.0/24") String cidrBlock, List<String> ipv6CidrBlocks,
                         @Schema(example = "us-east-2c") String availabilityZone, @Schema(example = "available") String state,
                         int availableIpAddressCount, boolean defaultForAz, boolean mapPublicIpOnLaunch) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AwsRouteTable")
    public record RouteTable(String routeTableId, String name, String vpcId,
                             @Schema(description = "The VPC's main route table (used by subnets associated with none)") boolean main,
                             @Schema(description = "Subnets explicitly associated with it") List<String> subnetIds,
                             List<Route> routes) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AwsRoute")
    public record Route(@Schema(description = "IPv4 or IPv6 block, or prefix list id", example = "0.0.0.0/0") String destination,
                        @Schema(description = "Gateway, NAT gateway, instance, interface, peering, transit gateway... id, or local",
                                example = "igw-012345678901abcdef") String target,
                        @Schema(example = "active") String state, @Schema(example = "CreateRoute") String origin) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AwsInternetGateway")
    public record InternetGateway(String internetGatewayId, String name, String ownerId, List<Attachment> attachments) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AwsInternetGatewayAttachment")
    public record Attachment(String vpcId, @Schema(example = "available") String state) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AwsNetworkAcl")
    public record NetworkAcl(String networkAclId, String name, String vpcId,
                             @Schema(description = "The VPC's default ACL") boolean defaultAcl, List<String> subnetIds,
                             @Schema(description = "By direction, then rule number") List<AclEntry> entries) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AwsNetworkAclEntry")
    public record AclEntry(int ruleNumber, @Schema(description = "outbound rule (else inbound)") boolean egress,
                           @Schema(description = "IP protocol number, -1 for all", example = "-1") String protocol,
                           @Schema(allowableValues = {"allow", "deny"}) String ruleAction,
                           @Schema(description = "IPv4 or IPv6 block", example = "0.0.0.0/0") String cidrBlock,
                           @Schema(description = "First port, or null for all", nullable = true) Integer fromPort,
                           @Schema(description = "Last port, or null for all", nullable = true) Integer toPort) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AwsSecurityGroup")
    public record SecurityGroup(String groupId, String groupName, String description, String vpcId, String ownerId,
                                List<Permission> inbound, List<Permission> outbound) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AwsSecurityGroupPermission")
    public record Permission(@Schema(description = "tcp, udp, icmp, a protocol number, or -1 for all") String protocol,
                             @Schema(description = "First port (ICMP type), null for all", nullable = true) Integer fromPort,
                             @Schema(description = "Last port (ICMP code), null for all", nullable = true) Integer toPort,
                             @Schema(description = "IPv4 and IPv6 blocks, security group ids and prefix list ids allowed")
                             List<String> sources) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AwsDhcpOptions")
    public record DhcpOptions(String dhcpOptionsId, String name, String ownerId, List<DhcpOption> options) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AwsDhcpOption")
    public record DhcpOption(@Schema(example = "domain-name-servers") String key,
                             @Schema(example = "[\"AmazonProvidedDNS\"]") List<String> values) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AwsVpcInstance")
    public record VpcInstance(@Schema(example = "i-1234567890abcdef0") String instanceId, String name, String vpcId,
                              String subnetId, @Schema(example = "t3.micro") String type,
                              @Schema(example = "eu-west-1c") String availabilityZone,
                              List<String> privateAddresses, List<String> publicAddresses) {
    }
}
