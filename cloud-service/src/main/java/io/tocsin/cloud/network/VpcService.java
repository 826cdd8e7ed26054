package io.tocsin.cloud.network;

import io.micronaut.http.HttpStatus;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.CredentialService;
import io.tocsin.cloud.credentials.Provider;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.aws.AwsClients;
import io.tocsin.cloud.provider.aws.AwsErrors;
import io.tocsin.common.http.ProblemException;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.InvalidRecordException;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Seed 000's AWS VPC page through EC2: one region's network, a new VPC, a new subnet, a subnet deleted. A name is
 * given as the resource's {@code Name} tag in the same call (tag on create: nothing is left untagged when tagging is
 * not allowed; it needs {@code ec2:CreateTags}).
 *
 * <p>Error contract: unknown credential → 404 ({@link CredentialService}); a credential of another provider → 400
 * naming {@code id}; a bad region, id, CIDR block, zone or name → 400 naming the field (nothing is asked of AWS); AWS's
 * refusal → {@link CloudException} as {@link AwsErrors} classifies it (e.g. a block outside the VPC's, or a subnet
 * still in use: 400; an unknown VPC or subnet: 404).
 */
@Singleton
public class VpcService {

    private static final Logger LOG = LoggerFactory.getLogger(VpcService.class);
    private static final Pattern VPC_ID = Pattern.compile("vpc-[0-9A-Za-z]{1,32}");
    private static final Pattern SUBNET_ID = Pattern.compile("subnet-[0-9A-Za-z]{1,32}");

    private final CredentialService credentials;
    private final AwsClients clients;
    private final NetworkReader reader;

    public VpcService(CredentialService credentials, AwsClients clients) {
        this.credentials = credentials;
        this.clients = clients;
        this.reader = new NetworkReader(clients);
    }

    /** The region's VPCs, subnets, route tables, gateways, ACLs, security groups, DHCP option sets and running instances. */
    public NetworkView network(String credentialId, String region) {
        List<FieldError> errors = new ArrayList<>();
        String given = NetworkRequests.region(region, errors);
        fail(errors);
        CloudCredential credential = aws(credentialId);
        return reader.read(credential, AwsClients.region(credential, given));
    }

    public NetworkView.Vpc createVpc(String credentialId, byte[] body) {
        NetworkRequests.NewVpc request = NetworkRequests.vpc(body);
        CloudCredential credential = aws(credentialId);
        String region = AwsClients.region(credential, request.region());
        NetworkView.Vpc vpc = NetworkReader.vpc(AwsErrors.call(credential, "EC2 CreateVpc " + request.cidrBlock() + " (" + region + ")",
                () -> clients.ec2(credential, region).createVpc(b -> b.cidrBlock(request.cidrBlock())
                        .applyMutation(named -> nameTag(ResourceType.VPC, request.name(), named::tagSpecifications)))).vpc());
        LOG.info("Cloud credential {} created VPC {} ({}) in {}", credentialId, vpc.vpcId(), vpc.cidrBlock(), region);
        return vpc;
    }

    public NetworkView.Subnet createSubnet(String credentialId, String vpcId, byte[] body) {
        NetworkRequests.NewSubnet request;
        List<FieldError> errors = new ArrayList<>();
        checkId(vpcId, VPC_ID, "vpcId", errors);
        try {
            request = NetworkRequests.subnet(body);
        } catch (InvalidRecordException e) {
            errors.addAll(e.errors());
            throw new InvalidRecordException(errors);
        }
        fail(errors);
        CloudCredential credential = aws(credentialId);
        String region = AwsClients.region(credential, request.region());
        NetworkView.Subnet subnet = NetworkReader.subnet(AwsErrors.call(credential,
                "EC2 CreateSubnet " + request.cidrBlock() + " in " + vpcId + " (" + region + ")",
                () -> clients.ec2(credential, region).createSubnet(b -> b.vpcId(vpcId).cidrBlock(request.cidrBlock())
                        .availabilityZone(request.availabilityZone())
                        .applyMutation(named -> nameTag(ResourceType.SUBNET, request.name(), named::tagSpecifications)))).subnet());
        LOG.info("Cloud credential {} created subnet {} ({}) in {} ({})", credentialId, subnet.subnetId(), subnet.cidrBlock(),
                vpcId, region);
        return subnet;
    }

    public void deleteSubnet(String credentialId, String subnetId, String region) {
        List<FieldError> errors = new ArrayList<>();
        checkId(subnetId, SUBNET_ID, "subnetId", errors);
        String given = NetworkRequests.region(region, errors);
        fail(errors);
        CloudCredential credential = aws(credentialId);
        String resolved = AwsClients.region(credential, given);
        AwsErrors.run(credential, "EC2 DeleteSubnet " + subnetId + " (" + resolved + ")",
                () -> clients.ec2(credential, resolved).deleteSubnet(b -> b.subnetId(subnetId)));
        LOG.info("Cloud credential {} deleted subnet {} in {}", credentialId, subnetId, resolved);
    }

    /** The credential, which must be an AWS one: the VPC API is EC2's. */
    private CloudCredential aws(String credentialId) {
        CloudCredential credential = credentials.get(credentialId);
        if (credential.provider() != Provider.AWS) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "Cloud credential " + credentialId + " is a "
                    + credential.provider().apiName() + " credential; the VPC API works with AWS credentials only",
                    List.of(new FieldError("id", "must be an AWS credential")));
        }
        return credential;
    }

    /** Sets the Name tag in the create call itself, when there is a name (else no TagSpecification is sent). */
    private static void nameTag(ResourceType type, String name, Consumer<TagSpecification[]> request) {
        if (name != null) {
            request.accept(new TagSpecification[] {TagSpecification.builder().resourceType(type)
                    .tags(Tag.builder().key("Name").value(name).build()).build()});
        }
    }

    private static void checkId(String id, Pattern pattern, String field, List<FieldError> errors) {
        if (id == null || !pattern.matcher(id).matches()) {
            errors.add(new FieldError(field, "must be an EC2 id like " + pattern.pattern().substring(0, pattern.pattern().indexOf('-') + 1)
                    + "0123456789abcdef0"));
        }
    }

    private static void fail(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
    }
}
