package io.tocsin.cloud.provider.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.tocsin.cloud.provider.azure.AzureFixtures.APPLICATION;
import static io.tocsin.cloud.provider.azure.AzureFixtures.GROUP;
import static io.tocsin.cloud.provider.azure.AzureFixtures.SECRET;
import static io.tocsin.cloud.provider.azure.AzureFixtures.SUBSCRIPTION;
import static io.tocsin.cloud.provider.azure.AzureFixtures.TOKEN;
import static io.tocsin.cloud.provider.azure.AzureFixtures.TOKEN_PATH;
import static io.tocsin.cloud.provider.azure.AzureFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudException.Kind;
import io.tocsin.cloud.provider.CloudExceptionKindTest;
import io.tocsin.cloud.provider.CloudProvider.Verification;
import io.tocsin.cloud.provider.Instance;
import io.tocsin.cloud.provider.InstanceState;
import io.tocsin.testing.CapturedLogs;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AzureProvider} with the Azure SDK against WireMock over HTTPS, serving recorded Microsoft Entra ID and Azure
 * Resource Manager responses ({@code src/test/resources/azure/*.source} say where each comes from). Every test
 * checks the requests Azure would have seen and that neither the client secret nor the token reached a log line or
 * an exception message.
 */
class AzureProviderTest {

    private static final String RG_PATH = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + GROUP;
    private static final String VMS = RG_PATH + "/providers/Microsoft.Compute/virtualMachines";
    private static final String OPERATION = "/subscriptions/" + SUBSCRIPTION + "/providers/Microsoft.Compute/locations/eastus/operations/"
            + "6755743c-77f8-4ec4-91f1-3a3299d1a60b";

    private final WireMockServer arm = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1"));
    private CapturedLogs logs;
    private String base;
    private AzureProvider provider;

    @BeforeEach
    void start() {
        logs = new CapturedLogs();
        arm.start();
        base = "https://127.0.0.1:" + arm.httpsPort() + "/";
        provider = provider(Duration.ofSeconds(5));
        arm.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(okJson(read("entra-token.json"))));
    }

    @AfterEach
    void stop() {
        arm.stop();
        logs.close();
        assertThat(logs.text()).doesNotContain(SECRET).doesNotContain(TOKEN.substring(0, 40));
    }

    @Test
    void aDeletedCredentialsClientsAreForgotten() {
        AzureClients clients = new AzureClients(AzureFixtures.settings(base, base + "{account}", Duration.ofSeconds(5), 65_536),
                AzureTestTls.client());
        AzureProvider adapter = new AzureProvider(clients);
        clients.compute(AzureFixtures.credential());
        clients.compute(AzureFixtures.credential()); // the same session
        assertThat(clients.sessions()).isEqualTo(1);
        adapter.forget("some-other-credential");
        assertThat(clients.sessions()).isEqualTo(1);
        adapter.forget(AzureFixtures.credential().id());
        assertThat(clients.sessions()).isZero();
    }

    @Test
    void verifyGetsATokenAndReadsTheResourceGroup() {
        arm.stubFor(get(urlPathEqualTo(RG_PATH.replace("resourceGroups", "resourcegroups"))).willReturn(okJson(read("arm-resourceGroup.json")
                .replace("00000000-0000-0000-0000-000000000000", SUBSCRIPTION).replace("my-resource-group", GROUP))));

        Verification verification = provider.verify(AzureFixtures.credential());

        assertThat(verification.ok()).isTrue();
        assertThat(verification.identity()).isEqualTo(APPLICATION);
        assertThat(verification.detail()).contains("resource group cc (eastus)", SUBSCRIPTION).doesNotContain(SECRET);
        // The client credentials grant: the one request that carries the secret, to the token endpoint only.
        List<LoggedRequest> tokens = arm.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
        assertThat(tokens).hasSize(1);
        Map<String, String> form = form(tokens.getFirst().getBodyAsString());
        assertThat(form).containsEntry("grant_type", "client_credentials").containsEntry("client_id", APPLICATION)
                .containsEntry("client_secret", SECRET);
        // MSAL adds the OpenID scopes it always asks for; the resource scope is Resource Manager's audience.
        assertThat(form.get("scope").split(" ")).startsWith("https://management.core.windows.net//.default");
        LoggedRequest read = armRequests().getFirst();
        assertThat(read.getUrl()).startsWith(RG_PATH.replace("resourceGroups", "resourcegroups") + "?api-version=");
        assertThat(read.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(armRequests()).allSatisfy(r -> assertThat(r.getBodyAsString()).doesNotContain(SECRET));
    }

    @Test
    void listsTheResourceGroupsMachinesWithPowerStateSizeAndAddresses() {
        stubMachines();

        List<Instance> instances = provider.instances(AzureFixtures.credential(), null);

        assertThat(instances).containsExactly(
                new Instance("vm-web", "vm-web", InstanceState.RUNNING, "PowerState/running", "Standard_A0", "eastus",
                        List.of("172.20.2.4"), List.of("40.85.154.247")),
                new Instance("vm-db", "vm-db", InstanceState.STOPPED, "PowerState/deallocated", "Standard_A0", "eastus",
                        List.of("172.20.2.4", "172.20.2.16/28"), List.of()));
        assertThat(armRequests()).extracting(r -> r.getMethod() + " " + r.getUrl().replaceAll("\\?.*", "")).containsExactly(
                "GET " + VMS,
                "GET " + RG_PATH + "/providers/Microsoft.Network/networkInterfaces",
                "GET " + RG_PATH + "/providers/Microsoft.Network/publicIPAddresses",
                "GET " + RG_PATH + "/providers/Microsoft.Network/publicIPAddresses/test-ip2",
                "GET " + VMS + "/vm-web/instanceView",
                "GET " + VMS + "/vm-db/instanceView");
        assertThat(armRequests()).allSatisfy(r -> {
            assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
            assertThat(r.queryParameter("api-version").firstValue()).matches("\\d{4}-\\d{2}-\\d{2}");
        });
        assertThat(armRequests().getFirst().queryParameter("api-version").firstValue()).isEqualTo(computeApiVersion());

        // A location keeps the machines there: none in westus, no network reads for none.
        arm.resetRequests();
        assertThat(provider.instances(AzureFixtures.credential(), "westus")).isEmpty();
        assertThat(provider.instances(AzureFixtures.credential(), "EastUS")).hasSize(2);
        // One token for all of it: the credential is kept, its token cached until it expires.
        assertThat(arm.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathEqualTo(TOKEN_PATH)))).isEmpty();
    }

    @Test
    void stopDeallocatesAndFollowsTheAsyncOperationToItsEnd() {
        stubOperation(post(urlPathEqualTo(VMS + "/vm-web/deallocate")), "Succeeded");

        provider.stop(AzureFixtures.credential(), null, "vm-web");

        // The action, then its Azure-AsyncOperation URL until Succeeded (the Location URL is not needed then).
        assertThat(armRequests()).extracting(r -> r.getMethod() + " " + r.getUrl().replaceAll("\\?.*", ""))
                .containsExactly("POST " + VMS + "/vm-web/deallocate", "GET " + OPERATION, "GET " + OPERATION);
        assertThat(armRequests().get(1).getUrl()).endsWith("?p=571046f6-b640-41c1-86f7-f9f044b5adf9&api-version=" + computeApiVersion());
        assertThat(armRequests()).allSatisfy(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN));
    }

    @Test
    void rebootRestartsAndTerminateDeletes() {
        stubOperation(post(urlPathEqualTo(VMS + "/vm-web/restart")), "Succeeded");
        provider.reboot(AzureFixtures.credential(), null, "vm-web");
        assertThat(armRequests().getFirst().getUrl()).startsWith(VMS + "/vm-web/restart?api-version=" + computeApiVersion());

        arm.resetAll();
        arm.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(okJson(read("entra-token.json"))));
        stubOperation(delete(urlPathEqualTo(VMS + "/vm-db")), "Succeeded");
        provider.terminate(AzureFixtures.credential(), null, "vm-db");
        assertThat(armRequests().getFirst().getMethod().value()).isEqualTo("DELETE");
        assertThat(armRequests().getFirst().getUrl()).startsWith(VMS + "/vm-db?");
    }

    @Test
    void anOperationThatEndsFailedIsClassifiedByItsErrorCode() {
        stubOperation(post(urlPathEqualTo(VMS + "/vm-web/restart")), "Failed");

        CloudException e = catchThrowableOfType(CloudException.class, () -> provider.reboot(AzureFixtures.credential(), null, "vm-web"));

        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.getMessage()).contains("restart of virtual machine vm-web in resource group cc", "InternalExecutionError",
                "An internal execution error occurred");
        noSecrets(e);
    }

    @Test
    void anOperationStillRunningAfterTheWaitIsUnavailable() {
        provider = provider(Duration.ofMillis(300));
        stubOperation(post(urlPathEqualTo(VMS + "/vm-web/deallocate")), "InProgress");

        CloudException e = catchThrowableOfType(CloudException.class, () -> provider.stop(AzureFixtures.credential(), null, "vm-web"));

        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.getMessage()).contains("deallocation of virtual machine vm-web", "still running after PT0.3S");
    }

    @Test
    void azureErrorsAreClassified() {
        expect(Kind.DENIED, "AuthorizationFailed", "Microsoft.Compute/virtualMachines/read",
                list -> arm.stubFor(get(urlPathEqualTo(VMS)).willReturn(json(403, "arm-error-AuthorizationFailed.json"))));
        expect(Kind.DENIED, "InvalidAuthenticationToken", "(HTTP 401)", list -> arm.stubFor(get(urlPathEqualTo(VMS)).willReturn(
                json(401, "arm-error-InvalidAuthenticationToken.json").withHeader("WWW-Authenticate",
                        "Bearer authorization_uri=\"https://login.windows.net/\", error=\"invalid_token\", error_description=\"The access token is invalid.\""))));
        expect(Kind.NOT_FOUND, "ResourceGroupNotFound", "Resource group 'cc' could not be found",
                list -> arm.stubFor(get(urlPathEqualTo(VMS)).willReturn(json(404, "arm-error-ResourceGroupNotFound.json"))));
        expect(Kind.UNAVAILABLE, "OperationNotAllowed", "(HTTP 429)",
                list -> arm.stubFor(get(urlPathEqualTo(VMS)).willReturn(json(429, "arm-error-throttled.json").withHeader("Retry-After", "1200"))));
        expect(Kind.UNAVAILABLE, "(HTTP 503)", "",
                list -> arm.stubFor(get(urlPathEqualTo(VMS)).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1"))));
        expect(Kind.UNAVAILABLE, "could not be reached", "",
                list -> arm.stubFor(get(urlPathEqualTo(VMS)).willReturn(okJson("{\"value\": []}").withFixedDelay(3_000))));
        // The same errors on an action; a 409 for a state the action does not fit is the caller's to fix.
        CloudException gone = catchThrowableOfType(CloudException.class, () -> {
            arm.stubFor(post(urlPathEqualTo(VMS + "/vm-gone/deallocate")).willReturn(json(404, "arm-error-ResourceNotFound.json")));
            provider.stop(AzureFixtures.credential(), null, "vm-gone");
        });
        assertThat(gone.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(gone.getMessage()).contains("ResourceNotFound", "vm-gone");
        CloudException conflict = catchThrowableOfType(CloudException.class, () -> {
            arm.stubFor(post(urlPathEqualTo(VMS + "/vm-db/restart")).willReturn(json(409, "arm-error-OperationNotAllowed.json")));
            provider.reboot(AzureFixtures.credential(), null, "vm-db");
        });
        assertThat(conflict.kind()).isEqualTo(Kind.INVALID);
        assertThat(conflict.getMessage()).contains("OperationNotAllowed", "(HTTP 409)");
        noSecrets(gone);
        noSecrets(conflict);
    }

    @Test
    void aBareStatusIsClassifiedAsForStatusSaysAndAFailedOperationWithoutOneIsInvalid() {
        assertThat(CloudExceptionKindTest.disagreements(status -> AzureErrors.byCode("", status))).isEmpty();
        assertThat(AzureErrors.byCode("", 0)).as("an operation that ended failed, code unknown").isEqualTo(Kind.INVALID);
        assertThat(AzureErrors.byCode("AllocationFailed", 0)).as("a transient code").isEqualTo(Kind.UNAVAILABLE);
    }

    @Test
    void aRefusedSecretIsDeniedAndAnUnreachableAzureUnavailable() {
        arm.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(json(401, "entra-token-invalid-client.json")));
        CloudException refused = catchThrowableOfType(CloudException.class, () -> provider.verify(AzureFixtures.credential()));
        assertThat(refused.kind()).isEqualTo(Kind.DENIED);
        assertThat(refused.getMessage()).contains("AADSTS7000215");
        noSecrets(refused);
        assertThat(armRequests()).isEmpty(); // no token, no Resource Manager call

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        AzureProvider nowhere = new AzureProvider(new AzureClients(AzureFixtures.settings("https://127.0.0.1:" + closed + "/",
                "https://127.0.0.1:" + closed + "/{account}", Duration.ofSeconds(1), 65_536), AzureTestTls.client()));
        CloudException unreachable = catchThrowableOfType(CloudException.class, () -> nowhere.instances(AzureFixtures.credential(), null));
        assertThat(unreachable.kind()).isEqualTo(Kind.UNAVAILABLE);
        noSecrets(unreachable);
    }

    @Test
    void aCredentialWithoutAResourceGroupIsInvalidNamingTheField() {
        CloudCredential incomplete = AzureFixtures.credential(Map.of("resource_group", ""));
        CloudException e = catchThrowableOfType(CloudException.class, () -> provider.instances(incomplete, null));
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        assertThat(e.getMessage()).contains("resource_group");
        assertThat(arm.getAllServeEvents()).isEmpty();
    }

    @Test
    void powerStatesMapAsInstanceStateSays() {
        assertThat(AzureProvider.state("PowerState/starting")).isEqualTo(InstanceState.PENDING);
        assertThat(AzureProvider.state("PowerState/running")).isEqualTo(InstanceState.RUNNING);
        assertThat(AzureProvider.state("PowerState/stopping")).isEqualTo(InstanceState.STOPPING);
        assertThat(AzureProvider.state("PowerState/deallocating")).isEqualTo(InstanceState.STOPPING);
        assertThat(AzureProvider.state("PowerState/stopped")).isEqualTo(InstanceState.STOPPED);
        assertThat(AzureProvider.state("PowerState/deallocated")).isEqualTo(InstanceState.STOPPED);
        assertThat(AzureProvider.state("ProvisioningState/creating")).isEqualTo(InstanceState.UNKNOWN);
    }

    private AzureProvider provider(Duration operationWait) {
        return new AzureProvider(new AzureClients(AzureFixtures.settings(base, base + "{account}", operationWait, 65_536), AzureTestTls.client()));
    }

    /** The machines of arm-virtualMachines.list.json as vm-web (running) and vm-db (deallocated), with their interfaces. */
    private void stubMachines() {
        String list = read("arm-virtualMachines.list.json").replace("{subscriptionId}", SUBSCRIPTION).replace("{resourceGroupName}", GROUP);
        for (String name : List.of("vm-web", "vm-web", "vm-db", "vm-db")) {
            list = list.replaceFirst("\\{virtualMachineName}", name);
        }
        list = list.replaceFirst("\\{networkInterfaceName}", "test-nic").replaceFirst("\\{networkInterfaceName}", "test-nic2");
        arm.stubFor(get(urlPathEqualTo(VMS)).willReturn(okJson(list)));
        arm.stubFor(get(urlPathEqualTo(VMS + "/vm-web/instanceView")).willReturn(okJson(read("arm-instanceView-running.json"))));
        arm.stubFor(get(urlPathEqualTo(VMS + "/vm-db/instanceView")).willReturn(okJson(read("arm-instanceView-deallocated.json"))));
        // The one edit of recorded content (see arm-publicIPAddresses.list.json.source): test-nic's public address is ip03.
        arm.stubFor(get(urlPathEqualTo(RG_PATH + "/providers/Microsoft.Network/networkInterfaces")).willReturn(okJson(
                read("arm-networkInterfaces.list.json").replace("subid", SUBSCRIPTION).replace("rg1", GROUP)
                        .replace("publicIPAddresses/test-ip\"", "publicIPAddresses/ip03\""))));
        arm.stubFor(get(urlPathEqualTo(RG_PATH + "/providers/Microsoft.Network/publicIPAddresses")).willReturn(okJson(
                read("arm-publicIPAddresses.list.json").replace("subid", SUBSCRIPTION).replace("rg1", GROUP))));
        arm.stubFor(get(urlPathEqualTo(RG_PATH + "/providers/Microsoft.Network/publicIPAddresses/test-ip2")).willReturn(
                json(404, "arm-error-ResourceNotFound.json")));
    }

    /**
     * An action answered 202 with Azure-AsyncOperation and Location headers (as Compute does), whose status is
     * InProgress at the first poll and {@code outcome} from the second on.
     */
    private void stubOperation(com.github.tomakehurst.wiremock.client.MappingBuilder action, String outcome) {
        String status = base + OPERATION.substring(1) + "?p=571046f6-b640-41c1-86f7-f9f044b5adf9&api-version=" + computeApiVersion();
        arm.stubFor(action.willReturn(aResponse().withStatus(202).withHeader("Azure-AsyncOperation", status)
                .withHeader("Location", status.replace("&api-version", "&monitor=true&api-version")).withHeader("Content-Length", "0")));
        arm.stubFor(get(urlPathEqualTo(OPERATION)).withQueryParam("monitor", absent()).inScenario("operation")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(okJson(read("arm-operation-InProgress.json"))).willSetStateTo("polled"));
        arm.stubFor(get(urlPathEqualTo(OPERATION)).withQueryParam("monitor", absent()).inScenario("operation")
                .whenScenarioStateIs("polled").willReturn(okJson(read("arm-operation-" + outcome + ".json"))));
        arm.stubFor(get(urlPathEqualTo(OPERATION)).withQueryParam("monitor", equalTo("true")).willReturn(aResponse().withStatus(200)));
    }

    private void expect(Kind kind, String code, String text, Consumer<Void> stub) {
        arm.resetAll();
        arm.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(okJson(read("entra-token.json"))));
        stub.accept(null);
        CloudException e = catchThrowableOfType(CloudException.class, () -> provider.instances(AzureFixtures.credential(), null));
        assertThat(e).as(code).isNotNull();
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
        assertThat(e.getMessage()).contains("list of the virtual machines of resource group cc", code, text);
        noSecrets(e);
    }

    private static ResponseDefinitionBuilder json(int status, String fixture) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8").withBody(read(fixture));
    }

    private List<LoggedRequest> armRequests() {
        return arm.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(anyUrl())).stream()
                .filter(r -> !r.getUrl().startsWith(TOKEN_PATH)).toList(); // in the order received
    }

    private static String computeApiVersion() {
        return "2025-04-01";
    }

    private static void noSecrets(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET).doesNotContain(TOKEN.substring(0, 40));
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new java.util.HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }
}
