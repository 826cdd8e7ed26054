package io.tocsin.cloud.network;

import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.aws.AwsClients;
import io.tocsin.cloud.provider.aws.AwsErrors;
import io.tocsin.cloud.provider.aws.AwsProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import software.amazon.awssdk.core.pagination.sync.SdkIterable;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.paginators.DescribeInstancesIterable;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Reads one region's network through EC2's Describe calls (every page; the eight calls at once, on virtual threads,
 * so the answer takes about as long as the slowest) and maps what they return to {@link NetworkView}.
 *
 * <p>Error contract: the first failing call's {@link CloudException} (as {@link AwsErrors} classifies it); the other
 * calls' results are dropped.
 */
final class NetworkReader {

    /** Every Describe call used accepts 5-100 (DescribeRouteTables' maximum is 100). */
    private static final int PAGE = 100;

    private final AwsClients clients;

    NetworkReader(AwsClients clients) {
        this.clients = clients;
    }

    NetworkView read(CloudCredential credential, String region) {
        Ec2Client ec2 = clients.ec2(credential, region);
        try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
            var vpcs = calls.submit(() -> list(credential, "EC2 DescribeVpcs (" + region + ")",
                    () -> ec2.describeVpcsPaginator(b -> b.maxResults(PAGE)).vpcs(), NetworkReader::vpc,
                    NetworkView.Vpc::vpcId));
            var subnets = calls.submit(() -> list(credential, "EC2 DescribeSubnets (" + region + ")",
                    () -> ec2.describeSubnetsPaginator(b -> b.maxResults(PAGE)).subnets(), NetworkReader::subnet,
                    NetworkView.Subnet::subnetId));
            var routeTables = calls.submit(() -> list(credential, "EC2 DescribeRouteTables (" + region + ")",
                    () -> ec2.describeRouteTablesPaginator(b -> b.maxResults(PAGE)).routeTables(), NetworkReader::routeTable,
                    NetworkView.RouteTable::routeTableId));
            var gateways = calls.submit(() -> list(credential, "EC2 DescribeInternetGateways (" + region + ")",
                    () -> ec2.describeInternetGatewaysPaginator(b -> b.maxResults(PAGE)).internetGateways(),
                    NetworkReader::internetGateway, NetworkView.InternetGateway::internetGatewayId));
            var acls = calls.submit(() -> list(credential, "EC2 DescribeNetworkAcls (" + region + ")",
                    () -> ec2.describeNetworkAclsPaginator(b -> b.maxResults(PAGE)).networkAcls(), NetworkReader::networkAcl,
                    NetworkView.NetworkAcl::networkAclId));
            var groups = calls.submit(() -> list(credential, "EC2 DescribeSecurityGroups (" + region + ")",
                    () -> ec2.describeSecurityGroupsPaginator(b -> b.maxResults(PAGE)).securityGroups(),
                    NetworkReader::securityGroup, NetworkView.SecurityGroup::groupId));
            var dhcp = calls.submit(() -> list(credential, "EC2 DescribeDhcpOptions (" + region + ")",
                    () -> ec2.describeDhcpOptionsPaginator(b -> b.maxResults(PAGE)).dhcpOptions(), NetworkReader::dhcpOptions,
                    NetworkView.DhcpOptions::dhcpOptionsId));
            var instances = calls.submit(() -> list(credential, "EC2 DescribeInstances running (" + region + ")",
                    () -> instances(ec2.describeInstancesPaginator(b -> b.maxResults(PAGE)
                            .filters(Filter.builder().name("instance-state-name").values("running").build()).build())),
                    NetworkReader::instance, instance -> instance.vpcId() + "/" + instance.instanceId()));
            return new NetworkView(region, get(vpcs), get(subnets), get(routeTables), get(gateways), get(acls), get(groups),
                    get(dhcp), get(instances));
        }
    }

    /** All pages of one Describe call (fetched while iterating, so inside {@link AwsErrors#call}), mapped and sorted. */
    private static <R, V> List<V> list(CloudCredential credential, String operation, Supplier<SdkIterable<R>> pages,
                                       Function<R, V> view, Function<V, String> sortKey) {
        return AwsErrors.call(credential, operation, () -> {
            List<V> found = new ArrayList<>();
            pages.get().forEach(item -> found.add(view.apply(item)));
            found.sort(Comparator.comparing(sortKey));
            return List.copyOf(found);
        });
    }

    /** The instances of every reservation of every page, fetched as they are iterated. */
    private static SdkIterable<Instance> instances(DescribeInstancesIterable pages) {
        return () -> pages.reservations().stream().flatMap(reservation -> reservation.instances().stream()).iterator();
    }

    private static <T> T get(Future<T> call) {
        try {
            return call.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudException(CloudException.Kind.UNAVAILABLE, "Interrupted while reading the network", null);
        }
    }

    static NetworkView.Vpc vpc(software.amazon.awssdk.services.ec2.model.Vpc vpc) {
        List<String> blocks = new ArrayList<>();
        blocks.add(vpc.cidrBlock());
        vpc.cidrBlockAssociationSet().stream().filter(a -> a.cidrBlockState() == null
                        || !"disassociated".equals(a.cidrBlockState().stateAsString()))
                .map(a -> a.cidrBlock()).filter(b -> !blocks.contains(b)).forEach(blocks::add);
        return new NetworkView.Vpc(vpc.vpcId(), name(vpc.tags()), vpc.cidrBlock(), blocks.stream().filter(Objects::nonNull).toList(),
                vpc.ipv6CidrBlockAssociationSet().stream().map(a -> a.ipv6CidrBlock()).filter(Objects::nonNull).toList(),
                vpc.stateAsString(), Boolean.TRUE.equals(vpc.isDefault()), vpc.dhcpOptionsId(), vpc.instanceTenancyAsString(),
                vpc.ownerId());
    }

    static NetworkView.Subnet subnet(software.amazon.awssdk.services.ec2.model.Subnet subnet) {
        return new NetworkView.Subnet(subnet.subnetId(), name(subnet.tags()), subnet.vpcId(), subnet.cidrBlock(),
                subnet.ipv6CidrBlockAssociationSet().stream().map(a -> a.ipv6CidrBlock()).filter(Objects::nonNull).toList(),
                subnet.availabilityZone(), subnet.stateAsString(), Objects.requireNonNullElse(subnet.availableIpAddressCount(), 0),
                Boolean.TRUE.equals(subnet.defaultForAz()), Boolean.TRUE.equals(subnet.mapPublicIpOnLaunch()));
    }

    private static NetworkView.RouteTable routeTable(software.amazon.awssdk.services.ec2.model.RouteTable table) {
        boolean main = table.associations().stream().anyMatch(a -> Boolean.TRUE.equals(a.main()));
        List<String> subnets = table.associations().stream().map(a -> a.subnetId()).filter(Objects::nonNull).toList();
        List<NetworkView.Route> routes = table.routes().stream().map(route -> new NetworkView.Route(
                first(route.destinationCidrBlock(), route.destinationIpv6CidrBlock(), route.destinationPrefixListId()),
                first(route.gatewayId(), route.natGatewayId(), route.instanceId(), route.networkInterfaceId(),
                        route.vpcPeeringConnectionId(), route.transitGatewayId(), route.egressOnlyInternetGatewayId(),
                        route.localGatewayId(), route.carrierGatewayId(), route.coreNetworkArn()),
                route.stateAsString(), route.originAsString())).toList();
        return new NetworkView.RouteTable(table.routeTableId(), name(table.tags()), table.vpcId(), main, subnets, routes);
    }

    private static NetworkView.InternetGateway internetGateway(software.amazon.awssdk.services.ec2.model.InternetGateway gateway) {
        return new NetworkView.InternetGateway(gateway.internetGatewayId(), name(gateway.tags()), gateway.ownerId(),
                gateway.attachments().stream().map(a -> new NetworkView.Attachment(a.vpcId(), a.stateAsString())).toList());
    }

    private static NetworkView.NetworkAcl networkAcl(software.amazon.awssdk.services.ec2.model.NetworkAcl acl) {
        List<NetworkView.AclEntry> entries = acl.entries().stream().map(entry -> new NetworkView.AclEntry(
                Objects.requireNonNullElse(entry.ruleNumber(), 0), Boolean.TRUE.equals(entry.egress()), entry.protocol(),
                entry.ruleActionAsString(), first(entry.cidrBlock(), entry.ipv6CidrBlock()),
                entry.portRange() == null ? null : entry.portRange().from(), entry.portRange() == null ? null : entry.portRange().to()))
                .sorted(Comparator.comparing(NetworkView.AclEntry::egress).thenComparing(NetworkView.AclEntry::ruleNumber)).toList();
        return new NetworkView.NetworkAcl(acl.networkAclId(), name(acl.tags()), acl.vpcId(), Boolean.TRUE.equals(acl.isDefault()),
                acl.associations().stream().map(a -> a.subnetId()).filter(Objects::nonNull).toList(), entries);
    }

    private static NetworkView.SecurityGroup securityGroup(software.amazon.awssdk.services.ec2.model.SecurityGroup group) {
        return new NetworkView.SecurityGroup(group.groupId(), group.groupName(), group.description(), group.vpcId(), group.ownerId(),
                group.ipPermissions().stream().map(NetworkReader::permission).toList(),
                group.ipPermissionsEgress().stream().map(NetworkReader::permission).toList());
    }

    private static NetworkView.Permission permission(IpPermission permission) {
        List<String> sources = Stream.of(
                permission.ipRanges().stream().map(r -> r.cidrIp()),
                permission.ipv6Ranges().stream().map(r -> r.cidrIpv6()),
                permission.userIdGroupPairs().stream().map(p -> p.groupId()),
                permission.prefixListIds().stream().map(p -> p.prefixListId()))
                .flatMap(s -> s).filter(Objects::nonNull).toList();
        return new NetworkView.Permission(permission.ipProtocol(), permission.fromPort(), permission.toPort(), sources);
    }

    private static NetworkView.DhcpOptions dhcpOptions(software.amazon.awssdk.services.ec2.model.DhcpOptions options) {
        return new NetworkView.DhcpOptions(options.dhcpOptionsId(), name(options.tags()), options.ownerId(),
                options.dhcpConfigurations().stream().map(c -> new NetworkView.DhcpOption(c.key(),
                        c.values().stream().map(v -> v.value()).filter(Objects::nonNull).toList())).toList());
    }

    private static NetworkView.VpcInstance instance(Instance raw) {
        io.tocsin.cloud.provider.Instance common = AwsProvider.instance(raw);
        return new NetworkView.VpcInstance(common.id(), common.name(), raw.vpcId(), raw.subnetId(), common.type(),
                common.location(), common.privateAddresses(), common.publicAddresses());
    }

    /** The Name tag, as the console shows it; empty when none. */
    static String name(List<Tag> tags) {
        return tags.stream().filter(tag -> "Name".equals(tag.key())).map(Tag::value).filter(Objects::nonNull).findFirst().orElse("");
    }

    private static String first(String... values) {
        return Stream.of(values).filter(value -> value != null && !value.isEmpty()).findFirst().orElse("");
    }
}
