package io.tocsin.cloud.provider.azure;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.models.NetworkInterfaceReference;
import com.azure.resourcemanager.network.fluent.NetworkManagementClient;
import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceInner;
import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceIpConfigurationInner;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The IP addresses of virtual machines, which Azure keeps on their network interfaces (private) and on the public IP
 * address resources those reference (public). Read with two list calls for the whole resource group (network
 * interfaces, public IP addresses), so listing N machines costs two calls, not 2N; an interface or public address
 * in another resource group is read by its id. A public address has no {@code ipAddress} while its machine is
 * deallocated with dynamic allocation, so it is then left out.
 *
 * <p>Error contract: the SDK's exceptions pass through (the caller classifies them), except 404 for a resource read by
 * id, which was deleted after its machine was listed and is skipped.
 */
final class AzureAddresses {

    private final Map<String, NetworkInterfaceInner> interfaces;
    private final Map<String, PublicIpAddressInner> publicAddresses;

    private AzureAddresses(Map<String, NetworkInterfaceInner> interfaces, Map<String, PublicIpAddressInner> publicAddresses) {
        this.interfaces = interfaces;
        this.publicAddresses = publicAddresses;
    }

    /** Reads the interfaces of {@code machines} and their public addresses. */
    static AzureAddresses read(NetworkManagementClient network, String resourceGroup, List<VirtualMachineInner> machines) {
        List<String> interfaceIds = machines.stream().flatMap(vm -> references(vm).stream()).map(NetworkInterfaceReference::id)
                .filter(Objects::nonNull).distinct().toList();
        Map<String, NetworkInterfaceInner> interfaces = new HashMap<>();
        Map<String, PublicIpAddressInner> publicAddresses = new HashMap<>();
        if (interfaceIds.isEmpty()) {
            return new AzureAddresses(interfaces, publicAddresses);
        }
        network.getNetworkInterfaces().listByResourceGroup(resourceGroup).forEach(nic -> interfaces.put(key(nic.id()), nic));
        readMissing(interfaceIds, interfaces, (group, name) -> network.getNetworkInterfaces().getByResourceGroup(group, name));
        List<String> publicIds = interfaces.values().stream().flatMap(nic -> configurations(nic).stream())
                .map(NetworkInterfaceIpConfigurationInner::publicIpAddress).filter(Objects::nonNull)
                .map(PublicIpAddressInner::id).filter(Objects::nonNull).distinct().toList();
        if (!publicIds.isEmpty()) {
            network.getPublicIpAddresses().listByResourceGroup(resourceGroup).forEach(ip -> publicAddresses.put(key(ip.id()), ip));
            readMissing(publicIds, publicAddresses, (group, name) -> network.getPublicIpAddresses().getByResourceGroup(group, name));
        }
        return new AzureAddresses(interfaces, publicAddresses);
    }

    /** Private addresses of {@code vm}, its primary interface first. */
    List<String> privateAddresses(VirtualMachineInner vm) {
        List<String> addresses = new ArrayList<>();
        for (NetworkInterfaceInner nic : interfacesOf(vm)) {
            configurations(nic).stream().map(NetworkInterfaceIpConfigurationInner::privateIpAddress).filter(Objects::nonNull)
                    .forEach(addresses::add);
        }
        return addresses;
    }

    /** Public addresses of {@code vm}, its primary interface first; those not allocated now are left out. */
    List<String> publicAddresses(VirtualMachineInner vm) {
        List<String> addresses = new ArrayList<>();
        for (NetworkInterfaceInner nic : interfacesOf(vm)) {
            configurations(nic).stream().map(NetworkInterfaceIpConfigurationInner::publicIpAddress).filter(Objects::nonNull)
                    .map(ref -> ref.id() == null ? null : publicAddresses.get(key(ref.id())))
                    .filter(ip -> ip != null && ip.ipAddress() != null).forEach(ip -> addresses.add(ip.ipAddress()));
        }
        return addresses;
    }

    private List<NetworkInterfaceInner> interfacesOf(VirtualMachineInner vm) {
        return references(vm).stream().sorted(Comparator.comparing(ref -> !Boolean.TRUE.equals(ref.primary())))
                .map(ref -> ref.id() == null ? null : interfaces.get(key(ref.id()))).filter(Objects::nonNull).toList();
    }

    private static List<NetworkInterfaceReference> references(VirtualMachineInner vm) {
        return vm.networkProfile() == null || vm.networkProfile().networkInterfaces() == null ? List.of()
                : vm.networkProfile().networkInterfaces();
    }

    private static List<NetworkInterfaceIpConfigurationInner> configurations(NetworkInterfaceInner nic) {
        return nic.ipConfigurations() == null ? List.of() : nic.ipConfigurations();
    }

    /** Reads by id what the resource group's list did not have; one deleted meanwhile (404) is skipped. */
    private static <T> void readMissing(List<String> ids, Map<String, T> found, BiFunction<String, String, T> get) {
        for (String id : ids) {
            if (found.containsKey(key(id))) {
                continue;
            }
            String[] parts = id.split("/");
            // /subscriptions/{s}/resourceGroups/{group}/providers/Microsoft.Network/{type}/{name}
            if (parts.length < 9) {
                continue;
            }
            try {
                T resource = get.apply(parts[4], parts[8]);
                if (resource != null) {
                    found.put(key(id), resource);
                }
            } catch (ManagementException e) {
                if (e.getResponse() == null || e.getResponse().getStatusCode() != 404) {
                    throw e;
                }
            }
        }
    }

    /** Resource ids compare without case: Azure returns the resource group in either (TEST and test). */
    private static String key(String id) {
        return id == null ? "" : id.toLowerCase(Locale.ROOT);
    }
}
