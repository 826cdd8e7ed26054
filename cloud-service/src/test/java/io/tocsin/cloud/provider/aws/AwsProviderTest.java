package io.tocsin.cloud.provider.aws;

import static io.tocsin.cloud.provider.aws.AwsWireMock.KEY_ID;
import static io.tocsin.cloud.provider.aws.AwsWireMock.SECRET;
import static io.tocsin.cloud.provider.aws.AwsWireMock.SESSION_TOKEN;
import static io.tocsin.cloud.provider.aws.AwsWireMock.params;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.provider.CloudProvider;
import io.tocsin.cloud.provider.Instance;
import io.tocsin.cloud.provider.InstanceState;
import io.tocsin.testing.CapturedLogs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * The AWS adapter's successful calls, through the real AWS SDK against WireMock serving the answers the AWS API
 * references document: what the SDK sent (action, parameters, a SigV4 signature with the access key id, the session
 * token header) and what the adapter made of the answers. The secret key is found in no request, answer or log line.
 */
class AwsProviderTest {

    final CapturedLogs logs = new CapturedLogs();
    final AwsWireMock aws = new AwsWireMock();
    final AwsClients clients = new AwsClients(aws.settings(1));
    final AwsProvider provider = new AwsProvider(clients);

    @AfterEach
    void stop() {
        clients.close();
        aws.close();
        logs.close();
    }

    @Test
    void verifyAsksStsWhoTheCredentialIsAndSignsWithItsKeyId() {
        CloudProvider.Verification verified = provider.verify(AwsWireMock.credential("c1", false));

        assertThat(verified.ok()).isTrue();
        assertThat(verified.identity()).isEqualTo("arn:aws:iam::123456789012:user/Alice");
        assertThat(verified.detail()).isEqualTo("AWS account 123456789012 accepted the access key " + KEY_ID);
        LoggedRequest request = aws.requests("GetCallerIdentity").getFirst();
        assertThat(params(request)).containsExactly(Map.entry("Action", "GetCallerIdentity"), Map.entry("Version", "2011-06-15"));
        // SigV4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html): the key id, the
        // credential's default region and the service in the scope; the secret only ever as an HMAC key.
        assertThat(request.getHeader("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + KEY_ID + "/")
                .contains("/eu-west-1/sts/aws4_request").contains("Signature=");
        assertThat(request.containsHeader("X-Amz-Security-Token")).isFalse();
        assertNoSecret();
    }

    @Test
    void aSessionTokenTravelsInItsHeader() {
        provider.verify(AwsWireMock.credential("c1", true));

        assertThat(aws.requests("GetCallerIdentity").getFirst().getHeader("X-Amz-Security-Token")).isEqualTo(SESSION_TOKEN);
        assertThat(logs.text()).doesNotContain(SESSION_TOKEN);
    }

    @Test
    void instancesAreListedFromEveryPageWithTheirNameStateTypeZoneAndAddresses() {
        aws.stub("DescribeInstances", 200, "ec2-DescribeInstances-page1.xml");
        aws.stubWhere("DescribeInstances", "NextToken=tocsin-page-2", 200, "ec2-DescribeInstances-page2.xml");

        List<Instance> instances = provider.instances(AwsWireMock.credential("c1", false), "eu-west-3");

        assertThat(instances).containsExactly(
                new Instance("i-0598c7d356eba48d7", "Server_2", InstanceState.STOPPED, "stopped", "m5.large", "eu-west-1a",
                        List.of("192.168.1.89"), List.of("2001:db8:1234:1a2b::123")),
                new Instance("i-1234567890abcdef0", "Server_1", InstanceState.RUNNING, "running", "t2.micro", "eu-west-1c",
                        List.of("192.168.1.88"), List.of("54.194.252.215", "2001:db8:1234:1a2b::123")));
        List<LoggedRequest> pages = aws.requests("DescribeInstances");
        assertThat(pages).hasSize(2);
        assertThat(params(pages.get(0))).containsExactly(Map.entry("Action", "DescribeInstances"), Map.entry("Version", "2016-11-15"),
                Map.entry("MaxResults", "500"));
        assertThat(params(pages.get(1))).containsEntry("NextToken", "tocsin-page-2");
        // location names the region the request is signed for (and sent to, without an endpoint override).
        assertThat(pages.get(0).getHeader("Authorization")).contains("/eu-west-3/ec2/aws4_request");
        assertNoSecret();
    }

    @Test
    void withoutALocationTheDefaultRegionIsUsed() {
        provider.instances(AwsWireMock.credential("c1", false), null);

        assertThat(aws.requests("DescribeInstances").getFirst().getHeader("Authorization")).contains("/eu-west-1/ec2/aws4_request");
    }

    @Test
    void stopRebootAndTerminateNameTheInstance() {
        CloudCredential credential = AwsWireMock.credential("c1", false);
        provider.stop(credential, null, "i-1234567890abcdef0");
        provider.reboot(credential, null, "i-1234567890abcdef0");
        provider.terminate(credential, "us-east-2", "i-1234567890abcdef0");

        for (String action : List.of("StopInstances", "RebootInstances", "TerminateInstances")) {
            List<LoggedRequest> requests = aws.requests(action);
            assertThat(requests).as(action).hasSize(1);
            assertThat(params(requests.getFirst())).as(action).containsExactly(Map.entry("Action", action),
                    Map.entry("Version", "2016-11-15"), Map.entry("InstanceId.1", "i-1234567890abcdef0"));
        }
        assertThat(aws.requests("TerminateInstances").getFirst().getHeader("Authorization")).contains("/us-east-2/ec2/aws4_request");
        assertNoSecret();
    }

    @Test
    void statesAreMappedAsInstanceStateSays() {
        assertThat(AwsProvider.state(InstanceStateName.PENDING)).isEqualTo(InstanceState.PENDING);
        assertThat(AwsProvider.state(InstanceStateName.RUNNING)).isEqualTo(InstanceState.RUNNING);
        assertThat(AwsProvider.state(InstanceStateName.STOPPING)).isEqualTo(InstanceState.STOPPING);
        assertThat(AwsProvider.state(InstanceStateName.SHUTTING_DOWN)).isEqualTo(InstanceState.STOPPING);
        assertThat(AwsProvider.state(InstanceStateName.STOPPED)).isEqualTo(InstanceState.STOPPED);
        assertThat(AwsProvider.state(InstanceStateName.TERMINATED)).isEqualTo(InstanceState.TERMINATED);
        assertThat(AwsProvider.state(InstanceStateName.UNKNOWN_TO_SDK_VERSION)).isEqualTo(InstanceState.UNKNOWN);
        assertThat(AwsProvider.state(null)).isEqualTo(InstanceState.UNKNOWN);
    }

    private void assertNoSecret() {
        assertThat(aws.exchanged()).contains(KEY_ID).doesNotContain(SECRET).doesNotContain(SESSION_TOKEN);
        assertThat(logs.text()).doesNotContain(SECRET);
    }
}
