package io.tocsin.cloud.provider;

import java.util.List;

/**
 * A virtual machine as every provider's list shows it.
 *
 * @param id               provider id ({@code i-0abc...}; Compute Engine instance name; Azure VM resource name)
 * @param name             display name (AWS {@code Name} tag; the instance or VM name elsewhere)
 * @param state            normalised state, see {@link InstanceState}
 * @param providerState    the provider's own word for it ({@code running}, {@code TERMINATED}, {@code PowerState/deallocated})
 * @param type             machine type ({@code t3.micro}, {@code e2-medium}, {@code Standard_B1s})
 * @param location         region or availability zone (AWS), zone (Google Cloud), location (Azure)
 * @param privateAddresses private IP addresses
 * @param publicAddresses  public IP addresses
 */
public record Instance(String id, String name, InstanceState state, String providerState, String type, String location,
                       List<String> privateAddresses, List<String> publicAddresses) {

    public Instance {
        privateAddresses = List.copyOf(privateAddresses);
        publicAddresses = List.copyOf(publicAddresses);
    }
}
