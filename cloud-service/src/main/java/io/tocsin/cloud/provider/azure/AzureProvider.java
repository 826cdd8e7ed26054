package io.tocsin.cloud.provider.azure;

import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.polling.PollResult;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.PollResponse;
import com.azure.core.util.polling.SyncPoller;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonToken;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.fluent.VirtualMachinesClient;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInstanceViewInner;
import com.azure.resourcemanager.compute.models.InstanceViewStatus;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.Provider;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudException.Kind;
import io.tocsin.cloud.provider.CloudProvider;
import io.tocsin.cloud.provider.Instance;
import io.tocsin.cloud.provider.InstanceState;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Azure virtual machines through the Azure SDK for Java (Resource Manager compute and network clients), in the
 * credential's {@code resource_group} of its {@code subscription_id}, authenticated as the application
 * ({@code application_id}, {@code client_secret}) in {@code tenant_id}.
 *
 * <ul>
 *   <li>verify: a token from Microsoft Entra ID and a read of the resource group; the identity is the application id;</li>
 *   <li>instances: the resource group's virtual machines, each with its instance view (power state) and the addresses
 *       of its network interfaces; {@code location} (a location name such as {@code westeurope}) keeps only the
 *       machines there, {@code null} keeps all (the resource group is the scope, not a location);</li>
 *   <li>stop is <em>deallocate</em>, not power off: a powered-off machine keeps its hardware and is still billed for
 *       compute, a deallocated one is not (what the portal's Stop does; a dynamic public IP is released);
 *       reboot is restart; terminate deletes the machine (its disks, interfaces and public IPs stay unless they
 *       were created with a delete option).</li>
 * </ul>
 * Stop, reboot and terminate are long-running operations: the SDK follows Azure's {@code Azure-AsyncOperation}
 * (or {@code Location}) header until the operation ends, polling at Azure's {@code Retry-After} or
 * {@code operation-poll-interval}, for at most {@code operation-wait}.
 *
 * <p>Error contract: {@link CloudException} only, classified by {@link AzureErrors}; an operation still running after
 * {@code operation-wait} is UNAVAILABLE (it goes on in Azure: the machine's state shows when it ends); an operation
 * that ends failed is classified by its error code. No message carries the client secret or a token.
 */
@Singleton
public class AzureProvider implements CloudProvider {

    private final AzureClients clients;

    public AzureProvider(AzureClients clients) {
        this.clients = clients;
    }

    @Override
    public Provider provider() {
        return Provider.AZURE;
    }

    @Override
    public void forget(String credentialId) {
        clients.forget(credentialId);
    }

    @Override
    public Verification verify(CloudCredential credential) {
        String group = AzureClients.required(credential, "resource_group");
        String application = AzureClients.required(credential, "application_id");
        ResourceGroupInner found = AzureErrors.call("read of resource group " + group, credential,
                () -> clients.compute(credential).resourceManager().serviceClient().getResourceGroups().get(group));
        return new Verification(true, application, "Microsoft Entra ID issued a token to application " + application
                + " of tenant " + credential.field("tenant_id") + "; it can read resource group " + found.name()
                + " (" + found.location() + ") of subscription " + credential.field("subscription_id"));
    }

    @Override
    public List<Instance> instances(CloudCredential credential, String location) {
        String group = AzureClients.required(credential, "resource_group");
        return AzureErrors.call("list of the virtual machines of resource group " + group, credential, () -> {
            ComputeManager compute = clients.compute(credential);
            VirtualMachinesClient machines = compute.serviceClient().getVirtualMachines();
            List<VirtualMachineInner> listed = machines.listByResourceGroup(group).stream()
                    .filter(vm -> location == null || location.isBlank() || location.equalsIgnoreCase(vm.location())).toList();
            if (listed.isEmpty()) {
                return List.of();
            }
            AzureAddresses addresses = AzureAddresses.read(compute.networkManager().serviceClient(), group, listed);
            List<Instance> instances = new ArrayList<>();
            for (VirtualMachineInner vm : listed) {
                // The list's $expand=instanceView needs a $filter by scale set, so each machine's view is one call
                // (https://learn.microsoft.com/rest/api/compute/virtual-machines/list).
                VirtualMachineInstanceViewInner view = instanceView(machines, group, vm.name());
                if (view != null) {
                    instances.add(instance(vm, view, addresses));
                }
            }
            return instances;
        });
    }

    /** Deallocates the machine (see the class comment for why not power off). */
    @Override
    public void stop(CloudCredential credential, String location, String instanceId) {
        operation(credential, "deallocation", instanceId, (vms, group, vm) -> vms.beginDeallocate(group, vm));
    }

    @Override
    public void reboot(CloudCredential credential, String location, String instanceId) {
        operation(credential, "restart", instanceId, (vms, group, vm) -> vms.beginRestart(group, vm));
    }

    @Override
    public void terminate(CloudCredential credential, String location, String instanceId) {
        operation(credential, "deletion", instanceId, (vms, group, vm) -> vms.beginDelete(group, vm));
    }

    /** The normalised state of an instance view status code ({@code PowerState/deallocated}), per {@link InstanceState}. */
    static InstanceState state(String code) {
        return switch (code == null ? "" : code) {
            case "PowerState/starting" -> InstanceState.PENDING;
            case "PowerState/running" -> InstanceState.RUNNING;
            case "PowerState/stopping", "PowerState/deallocating" -> InstanceState.STOPPING;
            case "PowerState/stopped", "PowerState/deallocated" -> InstanceState.STOPPED;
            default -> InstanceState.UNKNOWN;
        };
    }

    private static Instance instance(VirtualMachineInner vm, VirtualMachineInstanceViewInner view, AzureAddresses addresses) {
        List<String> codes = view.statuses() == null ? List.of()
                : view.statuses().stream().map(InstanceViewStatus::code).filter(Objects::nonNull).toList();
        // A machine being created, or one whose agent Azure cannot reach, may have no PowerState: its provisioning
        // state is then the best word Azure has for it.
        String power = codes.stream().filter(code -> code.startsWith("PowerState/")).findFirst()
                .orElse(codes.stream().filter(code -> code.startsWith("ProvisioningState/")).findFirst().orElse(""));
        String size = vm.hardwareProfile() == null || vm.hardwareProfile().vmSize() == null ? "" : vm.hardwareProfile().vmSize().toString();
        return new Instance(vm.name(), vm.name(), state(power), power, size, vm.location(),
                addresses.privateAddresses(vm), addresses.publicAddresses(vm));
    }

    /** The machine's instance view; null when it was deleted after the list. */
    private static VirtualMachineInstanceViewInner instanceView(VirtualMachinesClient machines, String group, String name) {
        try {
            return machines.instanceView(group, name);
        } catch (ManagementException e) {
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private void operation(CloudCredential credential, String action, String machine,
                           Begin begin) {
        String group = AzureClients.required(credential, "resource_group");
        if (machine == null || machine.isBlank()) {
            throw new CloudException(Kind.INVALID, "Azure " + action + ": no virtual machine name given", null);
        }
        String operation = action + " of virtual machine " + machine + " in resource group " + group;
        AzureSettings settings = clients.settings();
        AzureErrors.call(operation, credential, () -> {
            VirtualMachinesClient machines = clients.compute(credential).serviceClient().getVirtualMachines();
            SyncPoller<PollResult<Void>, Void> poller = begin.start(machines, group, machine).setPollInterval(settings.operationPollInterval());
            long deadline = System.nanoTime() + settings.operationWait().toNanos();
            PollResponse<PollResult<Void>> response = poller.poll();
            while (!response.getStatus().isComplete()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new CloudException(Kind.UNAVAILABLE, "Azure " + operation + " is still running after "
                            + settings.operationWait() + "; Azure goes on with it: the instance list shows when it ends", null);
                }
                Duration retryAfter = response.getRetryAfter();
                Duration pause = retryAfter == null || retryAfter.isNegative() || retryAfter.isZero() ? settings.operationPollInterval() : retryAfter;
                sleep(Math.min(pause.toNanos(), left));
                response = poller.poll();
            }
            if (response.getStatus() != LongRunningOperationStatus.SUCCESSFULLY_COMPLETED) {
                throw failed(operation, response, credential);
            }
            return null;
        });
    }

    /** The error a long-running operation ended with: its status body's {@code error.code} and {@code error.message}. */
    private static CloudException failed(String operation, PollResponse<PollResult<Void>> response, CloudCredential credential) {
        PollResult.Error error = response.getValue() == null ? null : response.getValue().getError();
        String code = "";
        String message = error == null ? "" : Objects.toString(error.getMessage(), "");
        if (error != null && error.getResponseBody() != null) {
            String[] parsed = errorOf(error.getResponseBody());
            code = parsed[0];
            message = parsed[1].isEmpty() ? message : parsed[1];
        }
        int status = error == null ? 0 : error.getResponseStatusCode();
        // The status poll itself answers 200 for a failed operation: only its error code tells what went wrong.
        Kind kind = response.getStatus() == LongRunningOperationStatus.USER_CANCELLED ? Kind.INVALID
                : AzureErrors.byCode(code, status >= 400 ? status : 0);
        return new CloudException(kind, AzureErrors.redact("Azure " + operation + " ended " + response.getStatus() + ": "
                + (code.isEmpty() ? "" : code + ": ") + message, credential), null);
    }

    /** {@code {code, message}} of an ARM status body {@code {"status": "Failed", "error": {"code", "message"}}}. */
    static String[] errorOf(String body) {
        String[] result = {"", ""};
        try (JsonReader reader = JsonProviders.createReader(body)) {
            if (reader.nextToken() != JsonToken.START_OBJECT) {
                return result;
            }
            while (reader.nextToken() != JsonToken.END_OBJECT) {
                String field = reader.getFieldName();
                reader.nextToken();
                if ("error".equals(field) && reader.currentToken() == JsonToken.START_OBJECT) {
                    while (reader.nextToken() != JsonToken.END_OBJECT) {
                        String inner = reader.getFieldName();
                        reader.nextToken();
                        if ("code".equals(inner) || "message".equals(inner)) {
                            result["code".equals(inner) ? 0 : 1] = Objects.toString(reader.getString(), "");
                        } else {
                            reader.skipChildren();
                        }
                    }
                } else {
                    reader.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not the documented shape: the poller's own message stands.
        }
        return result;
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudException(Kind.UNAVAILABLE, "Azure operation: interrupted while waiting for it to end", e);
        }
    }

    /** Starts a long-running operation on a machine. */
    @FunctionalInterface
    private interface Begin {
        SyncPoller<PollResult<Void>, Void> start(VirtualMachinesClient machines, String group, String machine);
    }
}
