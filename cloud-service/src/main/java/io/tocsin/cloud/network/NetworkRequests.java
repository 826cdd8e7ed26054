package io.tocsin.cloud.network;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.tocsin.cloud.provider.aws.AwsClients;
import io.tocsin.common.http.JsonBody;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.InvalidRecordException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bodies of {@code POST .../vpcs} and {@code POST .../vpcs/{vpcId}/subnets}, read by hand so that every bad
 * field is named at once, and their OpenAPI description ({@link NewVpc}, {@link NewSubnet}).
 *
 * <p>Error contract: {@link InvalidRecordException} (400) naming each bad field ({@code cidrBlock}, {@code region},
 * {@code availabilityZone}, {@code name}, an unknown field); messages quote no value but a CIDR block's corrected form.
 */
final class NetworkRequests {

    /** EC2 tag values: at most 256 Unicode characters (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html). */
    static final int MAX_NAME = 256;
    /** VPC and subnet IPv4 blocks are /16 to /28 (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html). */
    static final int WIDEST = 16;
    static final int NARROWEST = 28;
    private static final Pattern IPV4_CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
    /** Zone names: eu-west-1a, us-west-2-lax-1a (Local Zones), us-east-1-wl1-bos-wlz-1 (Wavelength). */
    private static final Pattern ZONE = Pattern.compile("[a-z]{2,}(-[a-z0-9]+)+");

    private NetworkRequests() {
    }

    @Serdeable
    @Schema(name = "AwsNewVpc", description = "CreateVpc, with a Name tag when name is given")
    record NewVpc(
            @Schema(description = "AWS region; the credential's defaultRegion when absent", example = "eu-west-1") String region,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "IPv4 network, /16 to /28, host bits zero",
                    example = "10.32.0.0/16") String cidrBlock,
            @Schema(description = "The Name tag, at most 256 characters", example = "production") String name) {
    }

    @Serdeable
    @Schema(name = "AwsNewSubnet", description = "CreateSubnet in the VPC of the path, with a Name tag when name is given")
    record NewSubnet(
            @Schema(description = "The VPC's region; the credential's defaultRegion when absent", example = "eu-west-1") String region,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "IPv4 network inside the VPC's, /16 to /28, host bits zero",
                    example = "10.32.1.0/24") String cidrBlock,
            @Schema(description = "Availability zone; AWS picks one when absent", example = "eu-west-1a") String availabilityZone,
            @Schema(description = "The Name tag, at most 256 characters", example = "production-a") String name) {
    }

    static NewVpc vpc(byte[] body) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode root = JsonBody.readObject(body, "cidrBlock, and optionally region and name");
        JsonBody.rejectUnknownFields(root, Set.of("region", "cidrBlock", "name"), "a new VPC", errors);
        NewVpc vpc = new NewVpc(region(root, errors), cidr(root, errors), name(root, errors));
        failOn(errors);
        return vpc;
    }

    static NewSubnet subnet(byte[] body) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode root = JsonBody.readObject(body, "cidrBlock, and optionally availabilityZone, name and region");
        JsonBody.rejectUnknownFields(root, Set.of("region", "cidrBlock", "availabilityZone", "name"), "a new subnet", errors);
        String zone = trimmed(JsonBody.text(root, "availabilityZone", errors, false));
        if (zone != null && !ZONE.matcher(zone).matches()) {
            errors.add(new FieldError("availabilityZone", "must be an availability zone name, e.g. eu-west-1a"));
        }
        NewSubnet subnet = new NewSubnet(region(root, errors), cidr(root, errors), zone, name(root, errors));
        failOn(errors);
        return subnet;
    }

    /** A region given as a query parameter or body field: null when absent, an error when not a region name. */
    static String region(String value, List<FieldError> errors) {
        String region = trimmed(value);
        if (region != null && !AwsClients.isRegion(region)) {
            errors.add(new FieldError("region", "must be an AWS region name, e.g. eu-west-1"));
        }
        return region;
    }

    /**
     * Null when {@code cidr} is a VPC or subnet IPv4 block as EC2 takes it; otherwise what is wrong. EC2 refuses a
     * block whose host bits are set (10.0.0.1/16), so its network form is suggested.
     */
    static String cidrProblem(String cidr) {
        Matcher m = IPV4_CIDR.matcher(cidr);
        if (!m.matches()) {
            return "must be an IPv4 CIDR block, e.g. 10.0.0.0/16";
        }
        long address = 0;
        for (int i = 1; i <= 4; i++) {
            String octet = m.group(i);
            int value = Integer.parseInt(octet);
            if (value > 255 || (octet.length() > 1 && octet.startsWith("0"))) {
                return "must be an IPv4 CIDR block, e.g. 10.0.0.0/16 (each of the 4 numbers 0-255, no leading zeros)";
            }
            address = address << 8 | value;
        }
        int prefix = Integer.parseInt(m.group(5));
        if (prefix < WIDEST || prefix > NARROWEST) {
            return "must have a prefix length from /" + WIDEST + " to /" + NARROWEST + " (AWS's VPC and subnet sizes)";
        }
        long mask = 0xFFFFFFFFL << (32 - prefix) & 0xFFFFFFFFL;
        if ((address & ~mask & 0xFFFFFFFFL) != 0) {
            long network = address & mask;
            return "must be a network address: " + (network >> 24) + "." + (network >> 16 & 255) + "." + (network >> 8 & 255)
                    + "." + (network & 255) + "/" + prefix + " (host bits zero)";
        }
        return null;
    }

    private static String region(JsonNode root, List<FieldError> errors) {
        return region(JsonBody.text(root, "region", errors, false), errors);
    }

    private static String cidr(JsonNode root, List<FieldError> errors) {
        String given = JsonBody.text(root, "cidrBlock", errors, true);
        String cidr = given == null ? null : given.trim();
        if (cidr != null) {
            String problem = cidrProblem(cidr);
            if (problem != null) {
                errors.add(new FieldError("cidrBlock", problem));
            }
        }
        return cidr;
    }

    private static String name(JsonNode root, List<FieldError> errors) {
        String name = trimmed(JsonBody.text(root, "name", errors, false));
        if (name != null && name.codePointCount(0, name.length()) > MAX_NAME) {
            errors.add(new FieldError("name", "must be at most " + MAX_NAME + " characters (an EC2 tag value)"));
        }
        return name == null || name.isEmpty() ? null : name;
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static void failOn(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
    }
}
