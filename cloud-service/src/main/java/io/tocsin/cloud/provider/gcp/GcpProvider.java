package io.tocsin.cloud.provider.gcp;

import com.google.api.gax.core.ExecutorProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.FixedExecutorProvider;
import com.google.api.gax.rpc.UnaryCallSettings;
import com.google.cloud.compute.v1.AccessConfig;
import com.google.cloud.compute.v1.AggregatedListInstancesRequest;
import com.google.cloud.compute.v1.DeleteInstanceRequest;
import com.google.cloud.compute.v1.Errors;
import com.google.cloud.compute.v1.InstancesClient;
import com.google.cloud.compute.v1.InstancesScopedList;
import com.google.cloud.compute.v1.InstancesSettings;
import com.google.cloud.compute.v1.NetworkInterface;
import com.google.cloud.compute.v1.Operation;
import com.google.cloud.compute.v1.ResetInstanceRequest;
import com.google.cloud.compute.v1.StopInstanceRequest;
import com.google.cloud.compute.v1.ZoneOperationsClient;
import com.google.cloud.compute.v1.ZoneOperationsSettings;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.Provider;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudException.Kind;
import io.tocsin.cloud.provider.CloudProvider;
import io.tocsin.cloud.provider.Instance;
import io.tocsin.cloud.provider.InstanceState;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Compute Engine through {@code google-cloud-compute} over its REST transport (HTTP/JSON: the library has no other
 * for Compute Engine, so {@code InstancesSettings.newBuilder()} is the HTTP/JSON builder), at
 * {@link GcpSettings#computeEndpoint()}. A credential is a service account key ({@link GcpCredentials}); its
 * {@code project_id} is the project acted on. Instances are named by their instance name, the id Compute Engine's
 * API takes ({@link Instance#id()}).
 *
 * <p>{@code location}: a zone ({@code europe-west1-b}) lists that zone ({@code instances.list}); a region
 * ({@code europe-west1}) or nothing lists every zone at once ({@code instances.aggregatedList}), keeping the
 * region's zones. {@code null} means the credential's {@code defaultRegion}. Stop, reboot and terminate need the
 * zone (from the list's {@link Instance#location()}): a region or nothing is refused ({@code INVALID}) rather
 * than guessed.
 *
 * <p>Stop, reset (reboot) and delete (terminate) answer a zone operation; each is read again with
 * {@code zoneOperations.get} every {@code operation-poll-interval} until it is {@code DONE}, for at most
 * {@code operation-wait} (https://cloud.google.com/compute/docs/api/how-tos/api-requests-responses#handling_api_responses).
 * An operation that ends with an error is a {@link CloudException} whose kind follows the operation's
 * {@code httpErrorStatusCode}; one still running at the end of the wait is {@code UNAVAILABLE} (it goes on at
 * Google: list the instances to see where it stands).
 *
 * <p>Error contract: {@link CloudException} only, classified by {@link GcpErrors}; calls are bounded by
 * {@code call-timeout} with the client library's retries ({@code max-attempts}, reads only) inside it.
 */
@Singleton
public class GcpProvider implements CloudProvider {

    /** A Compute Engine region (europe-west1, northamerica-northeast2): https://cloud.google.com/compute/docs/regions-zones. */
    private static final Pattern REGION = Pattern.compile("[a-z]+-[a-z]+\\d+");

    private final GcpSettings settings;
    private final GcpCredentials credentials;
    private final ScheduledExecutorService executor;
    private final ExecutorProvider executorProvider;

    public GcpProvider(GcpSettings settings, GcpCredentials credentials) {
        this.settings = settings;
        this.credentials = credentials;
        // One small pool for every client (retry timers, the REST channel's callbacks) instead of one per client.
        this.executor = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("gcp-compute-", 0).factory());
        this.executorProvider = FixedExecutorProvider.create(executor);
    }

    @Override
    public Provider provider() {
        return Provider.GCP;
    }

    @Override
    public void forget(String credentialId) {
        credentials.forget(credentialId);
    }

    /**
     * Obtains a token and lists the project's instances (first page, at most one result): this proves the key, the
     * project and {@code compute.instances.list}, the permission every other Compute Engine action starts from,
     * without asking for one more (reading the project would need {@code compute.projects.get}).
     */
    @Override
    public Verification verify(CloudCredential credential) {
        String project = GcpCredentials.project(credential);
        String action = "verify: list the instances of project " + project;
        try (InstancesClient client = instancesClient(credential)) {
            AggregatedListInstancesRequest request = AggregatedListInstancesRequest.newBuilder().setProject(project)
                    .setMaxResults(1).build();
            long seen = client.aggregatedList(request).getPage().getResponse().getItemsMap().values().stream()
                    .mapToLong(InstancesScopedList::getInstancesCount).sum();
            return new Verification(true, credential.field("client_email"), "Compute Engine answered for project " + project
                    + " (token obtained, compute.instances.list allowed; " + (seen == 0 ? "no instances" : "instances present") + ")");
        } catch (Exception e) {
            throw GcpErrors.of(action, e);
        }
    }

    @Override
    public List<Instance> instances(CloudCredential credential, String location) {
        String project = GcpCredentials.project(credential);
        String where = where(credential, location);
        String action = "list the instances of project " + project + (where.isEmpty() ? "" : " in " + where);
        try (InstancesClient client = instancesClient(credential)) {
            List<Instance> found = new ArrayList<>();
            if (!where.isEmpty() && !REGION.matcher(where).matches()) {
                client.list(project, where).iterateAll().forEach(instance -> found.add(instance(instance)));
            } else {
                AggregatedListInstancesRequest request = AggregatedListInstancesRequest.newBuilder().setProject(project).build();
                for (Map.Entry<String, InstancesScopedList> scope : client.aggregatedList(request).iterateAll()) {
                    scope.getValue().getInstancesList().stream().map(GcpProvider::instance)
                            .filter(instance -> where.isEmpty() || instance.location().startsWith(where + "-"))
                            .forEach(found::add);
                }
            }
            return List.copyOf(found);
        } catch (Exception e) {
            throw GcpErrors.of(action, e);
        }
    }

    /** {@code instances.stop}: the instance ends as {@code TERMINATED} (Compute Engine's word for stopped). */
    @Override
    public void stop(CloudCredential credential, String location, String instanceId) {
        act("stop", credential, location, instanceId, (client, target) -> client.stopCallable().call(StopInstanceRequest.newBuilder()
                .setProject(target.project()).setZone(target.zone()).setInstance(target.instance()).build()));
    }

    /** {@code instances.reset}: a hard reset, what Compute Engine offers as a reboot. */
    @Override
    public void reboot(CloudCredential credential, String location, String instanceId) {
        act("reset", credential, location, instanceId, (client, target) -> client.resetCallable().call(ResetInstanceRequest.newBuilder()
                .setProject(target.project()).setZone(target.zone()).setInstance(target.instance()).build()));
    }

    /** {@code instances.delete}. */
    @Override
    public void terminate(CloudCredential credential, String location, String instanceId) {
        act("delete", credential, location, instanceId, (client, target) -> client.deleteCallable().call(DeleteInstanceRequest.newBuilder()
                .setProject(target.project()).setZone(target.zone()).setInstance(target.instance()).build()));
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
    }

    /** Compute Engine's instance as Tocsin's; state per {@link InstanceState}'s Javadoc, short names from the URLs. */
    static Instance instance(com.google.cloud.compute.v1.Instance instance) {
        List<String> privateAddresses = instance.getNetworkInterfacesList().stream().map(NetworkInterface::getNetworkIP)
                .filter(address -> !address.isEmpty()).toList();
        List<String> publicAddresses = instance.getNetworkInterfacesList().stream()
                .flatMap(nic -> Stream.concat(nic.getAccessConfigsList().stream().map(AccessConfig::getNatIP),
                        nic.getIpv6AccessConfigsList().stream().map(AccessConfig::getExternalIpv6)))
                .filter(address -> !address.isEmpty()).toList();
        return new Instance(instance.getName(), instance.getName(), state(instance.getStatus()), instance.getStatus(),
                shortName(instance.getMachineType()), shortName(instance.getZone()), privateAddresses, publicAddresses);
    }

    /** https://cloud.google.com/compute/docs/instances/instance-life-cycle */
    static InstanceState state(String status) {
        return switch (status) {
            case "PENDING", "PROVISIONING", "STAGING" -> InstanceState.PENDING;
            case "RUNNING" -> InstanceState.RUNNING;
            case "STOPPING", "SUSPENDING", "PENDING_STOP", "DEPROVISIONING" -> InstanceState.STOPPING;
            case "STOPPED", "SUSPENDED", "TERMINATED" -> InstanceState.STOPPED;
            default -> InstanceState.UNKNOWN; // REPAIRING, and whatever Google adds
        };
    }

    /** The last segment of a resource URL ({@code .../zones/europe-west1-b/machineTypes/e2-medium} → {@code e2-medium}). */
    static String shortName(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static String where(CloudCredential credential, String location) {
        String where = location == null || location.isBlank() ? credential.defaultRegion() : location.strip();
        return where == null ? "" : where;
    }

    private void act(String verb, CloudCredential credential, String location, String instance,
                     BiFunction<InstancesClient, Target, Operation> call) {
        String project = GcpCredentials.project(credential);
        String zone = where(credential, location);
        if (zone.isEmpty() || REGION.matcher(zone).matches()) {
            throw new CloudException(Kind.INVALID, verb + " instance " + instance + ": name its zone (e.g. europe-west1-b, as the "
                    + "instance list shows it): " + (zone.isEmpty() ? "no location was given and the credential has no defaultRegion"
                    : "'" + zone + "' is a region"), null);
        }
        Target target = new Target(project, zone, instance);
        String action = verb + " instance " + instance + " in zone " + zone + " of project " + project;
        try (InstancesClient instances = instancesClient(credential);
             ZoneOperationsClient operations = operationsClient(credential)) {
            Operation operation = call.apply(instances, target);
            untilDone(action, operation, name -> operations.get(project, zone, name));
        } catch (Exception e) {
            throw GcpErrors.of(action, e);
        }
    }

    private InstancesClient instancesClient(CloudCredential credential) throws IOException {
        InstancesSettings.Builder builder = InstancesSettings.newBuilder()
                .setEndpoint(settings.computeEndpoint())
                .setCredentialsProvider(FixedCredentialsProvider.create(credentials.of(credential)))
                .setBackgroundExecutorProvider(executorProvider)
                .setTransportChannelProvider(InstancesSettings.defaultHttpJsonTransportProviderBuilder()
                        .setHttpTransport(credentials.transport()).build());
        builder.applyToAllUnaryMethods(this::bound);
        return InstancesClient.create(builder.build());
    }

    private ZoneOperationsClient operationsClient(CloudCredential credential) throws IOException {
        ZoneOperationsSettings.Builder builder = ZoneOperationsSettings.newBuilder()
                .setEndpoint(settings.computeEndpoint())
                .setCredentialsProvider(FixedCredentialsProvider.create(credentials.of(credential)))
                .setBackgroundExecutorProvider(executorProvider)
                .setTransportChannelProvider(ZoneOperationsSettings.defaultHttpJsonTransportProviderBuilder()
                        .setHttpTransport(credentials.transport()).build());
        builder.applyToAllUnaryMethods(this::bound);
        return ZoneOperationsClient.create(builder.build());
    }

    /**
     * The library's defaults allow a call 600 s with retries; an API answer cannot wait that long. Which methods
     * are retried stays the library's choice (reads; not stop, reset or delete).
     */
    private Void bound(UnaryCallSettings.Builder<?, ?> method) {
        method.setRetrySettings(method.getRetrySettings().toBuilder()
                .setTotalTimeoutDuration(settings.callTimeout())
                .setInitialRpcTimeoutDuration(settings.callTimeout())
                .setMaxRpcTimeoutDuration(settings.callTimeout())
                .setRpcTimeoutMultiplier(1.0)
                .setMaxAttempts(settings.maxAttempts())
                .build());
        return null;
    }

    /** Where an action applies. */
    record Target(String project, String zone, String instance) {
    }

    /**
     * Reads the operation again ({@code read}, by name) every poll interval until it is DONE, for at most the
     * configured wait. {@code zoneOperations.get} rather than {@code zoneOperations.wait} (which holds a request up
     * to 2 minutes at Google): each read stays within the call timeout and the wait is Tocsin's bound alone.
     * Returns when DONE without an error; throws the operation's error ({@code error.errors[].code/message},
     * classified by its {@code httpErrorStatusCode}, {@code INVALID} without one) or {@code UNAVAILABLE} when the
     * wait ends first or the thread is interrupted.
     */
    private void untilDone(String action, Operation operation, Function<String, Operation> read) {
        long deadline = System.nanoTime() + settings.operationWait().toNanos();
        while (operation.getStatus() != Operation.Status.DONE) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new CloudException(Kind.UNAVAILABLE, action + ": operation " + operation.getName() + " is still "
                        + operation.getStatus() + " after " + settings.operationWait() + "; it goes on at Google, list the "
                        + "instances to see its effect", null);
            }
            try {
                Thread.sleep(Duration.ofNanos(Math.min(left, settings.operationPollInterval().toNanos())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CloudException(Kind.UNAVAILABLE, action + ": interrupted while waiting for operation "
                        + operation.getName(), e);
            }
            operation = read.apply(operation.getName());
        }
        if (operation.hasError() && operation.getError().getErrorsCount() > 0) {
            int status = operation.hasHttpErrorStatusCode() ? operation.getHttpErrorStatusCode() : 0;
            Kind kind = status > 0 ? Kind.forStatus(status) : Kind.INVALID;
            String errors = operation.getError().getErrorsList().stream().map(GcpProvider::describe).collect(Collectors.joining("; "));
            throw new CloudException(kind, action + ": operation " + operation.getName() + " failed"
                    + (status > 0 ? " (HTTP " + status + ")" : "") + ": " + errors, null);
        }
    }

    private static String describe(Errors error) {
        return error.getCode() + (error.getMessage().isEmpty() ? "" : ": " + error.getMessage());
    }
}
