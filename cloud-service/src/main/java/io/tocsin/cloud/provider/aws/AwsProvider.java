package io.tocsin.cloud.provider.aws;

import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.Provider;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudProvider;
import io.tocsin.cloud.provider.Instance;
import io.tocsin.cloud.provider.InstanceState;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.InstancePrivateIpAddress;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * AWS through the AWS SDK for Java v2: STS for {@link #verify}, EC2 for instances. Each call goes to the region
 * given as {@code location}, or the credential's default region.
 *
 * <p>IAM permissions (docs/cloud.md, "AWS"): {@code ec2:DescribeInstances}, {@code ec2:StopInstances},
 * {@code ec2:RebootInstances}, {@code ec2:TerminateInstances}; STS GetCallerIdentity needs none.
 *
 * <p>Error contract: {@link CloudException} only, classified by {@link AwsErrors}; {@link #verify} answers a refused
 * credential (DENIED) as {@code ok=false} with AWS's error in the detail rather than throwing it, since "no" is an
 * answer to "does it work?".
 */
@Singleton
public class AwsProvider implements CloudProvider {

    /** STS exists in every region; us-east-1 when the credential names none (global endpoint's region). */
    private static final String STS_FALLBACK_REGION = "us-east-1";
    /** DescribeInstances page size: AWS's maximum is 1000; a moderate page keeps each answer small. */
    private static final int PAGE_SIZE = 500;

    private final AwsClients clients;

    public AwsProvider(AwsClients clients) {
        this.clients = clients;
    }

    @Override
    public Provider provider() {
        return Provider.AWS;
    }

    @Override
    public void forget(String credentialId) {
        clients.forget(credentialId);
    }

    @Override
    public Verification verify(CloudCredential credential) {
        String region = credential.defaultRegion().isBlank() ? STS_FALLBACK_REGION : AwsClients.region(credential, null);
        try {
            GetCallerIdentityResponse identity = AwsErrors.call(credential, "STS GetCallerIdentity (" + region + ")",
                    () -> clients.sts(credential, region).getCallerIdentity());
            return new Verification(true, identity.arn(), "AWS account " + identity.account() + " accepted the access key "
                    + credential.field("accessKeyId"));
        } catch (CloudException e) {
            if (e.kind() == CloudException.Kind.DENIED) {
                return new Verification(false, "", e.getMessage());
            }
            throw e;
        }
    }

    /** Every instance of the region (all states), through DescribeInstances' pages, by id. */
    @Override
    public List<Instance> instances(CloudCredential credential, String location) {
        String region = AwsClients.region(credential, location);
        return describe(credential, region, DescribeInstancesRequest.builder().maxResults(PAGE_SIZE).build());
    }

    /**
     * The instances a DescribeInstances request finds (its pages followed), by id. Used by the VPC view too, with a
     * state filter.
     */
    public List<Instance> describe(CloudCredential credential, String region, DescribeInstancesRequest request) {
        Ec2Client ec2 = clients.ec2(credential, region);
        return AwsErrors.call(credential, "EC2 DescribeInstances (" + region + ")", () -> {
            List<Instance> found = new ArrayList<>();
            // The paginator fetches lazily: the SDK calls (and their exceptions) happen while iterating, inside call().
            ec2.describeInstancesPaginator(request).reservations().forEach(reservation ->
                    reservation.instances().forEach(instance -> found.add(instance(instance))));
            found.sort(Comparator.comparing(Instance::id));
            return List.copyOf(found);
        });
    }

    @Override
    public void stop(CloudCredential credential, String location, String instanceId) {
        String region = AwsClients.region(credential, location);
        AwsErrors.run(credential, "EC2 StopInstances " + instanceId + " (" + region + ")",
                () -> clients.ec2(credential, region).stopInstances(b -> b.instanceIds(instanceId)));
    }

    @Override
    public void reboot(CloudCredential credential, String location, String instanceId) {
        String region = AwsClients.region(credential, location);
        AwsErrors.run(credential, "EC2 RebootInstances " + instanceId + " (" + region + ")",
                () -> clients.ec2(credential, region).rebootInstances(b -> b.instanceIds(instanceId)));
    }

    @Override
    public void terminate(CloudCredential credential, String location, String instanceId) {
        String region = AwsClients.region(credential, location);
        AwsErrors.run(credential, "EC2 TerminateInstances " + instanceId + " (" + region + ")",
                () -> clients.ec2(credential, region).terminateInstances(b -> b.instanceIds(instanceId)));
    }

    /** One EC2 instance as every provider's list shows it. */
    public static Instance instance(software.amazon.awssdk.services.ec2.model.Instance instance) {
        String name = instance.tags().stream().filter(tag -> "Name".equals(tag.key())).map(Tag::value).findFirst().orElse("");
        InstanceStateName stateName = instance.state() == null ? null : instance.state().name();
        String providerState = instance.state() == null || instance.state().nameAsString() == null ? "" : instance.state().nameAsString();
        String zone = instance.placement() == null || instance.placement().availabilityZone() == null
                ? "" : instance.placement().availabilityZone();
        return new Instance(instance.instanceId(), name, state(stateName), providerState,
                Optional.ofNullable(instance.instanceTypeAsString()).orElse(""), zone,
                privateAddresses(instance), publicAddresses(instance));
    }

    /** As {@link InstanceState}'s Javadoc: shutting-down is on its way out, so STOPPING. */
    static InstanceState state(InstanceStateName name) {
        if (name == null) {
            return InstanceState.UNKNOWN;
        }
        return switch (name) {
            case PENDING -> InstanceState.PENDING;
            case RUNNING -> InstanceState.RUNNING;
            case STOPPING, SHUTTING_DOWN -> InstanceState.STOPPING;
            case STOPPED -> InstanceState.STOPPED;
            case TERMINATED -> InstanceState.TERMINATED;
            case UNKNOWN_TO_SDK_VERSION -> InstanceState.UNKNOWN;
        };
    }

    /** The primary private address first, then every other address of every network interface. */
    private static List<String> privateAddresses(software.amazon.awssdk.services.ec2.model.Instance instance) {
        Set<String> addresses = new LinkedHashSet<>();
        add(addresses, instance.privateIpAddress());
        for (InstanceNetworkInterface eni : instance.networkInterfaces()) {
            add(addresses, eni.privateIpAddress());
            eni.privateIpAddresses().stream().map(InstancePrivateIpAddress::privateIpAddress).forEach(a -> add(addresses, a));
        }
        return List.copyOf(addresses);
    }

    /**
     * The primary public address first (ipAddress in the XML), then any other interface's association, then the IPv6
     * addresses (EC2's IPv6 addresses are globally unique, so an IPv6-only instance shows one here).
     */
    private static List<String> publicAddresses(software.amazon.awssdk.services.ec2.model.Instance instance) {
        Set<String> addresses = new LinkedHashSet<>();
        add(addresses, instance.publicIpAddress());
        for (InstanceNetworkInterface eni : instance.networkInterfaces()) {
            if (eni.association() != null) {
                add(addresses, eni.association().publicIp());
            }
            for (InstancePrivateIpAddress address : eni.privateIpAddresses()) {
                if (address.association() != null) {
                    add(addresses, address.association().publicIp());
                }
            }
        }
        add(addresses, instance.ipv6Address());
        instance.networkInterfaces().forEach(eni -> eni.ipv6Addresses().forEach(v6 -> add(addresses, v6.ipv6Address())));
        return List.copyOf(addresses);
    }

    private static void add(Set<String> addresses, String address) {
        if (address != null && !address.isBlank()) {
            addresses.add(address);
        }
    }
}
