package io.tocsin.cloud.credentials;

import java.util.Arrays;
import java.util.Optional;

/** The cloud providers Tocsin keeps credentials for, by the name used in the API ({@code "aws"}, {@code "gcp"}, {@code "azure"}). */
public enum Provider {
    AWS("aws"),
    GCP("gcp"),
    AZURE("azure");

    private final String apiName;

    Provider(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    public static Optional<Provider> fromApiName(String name) {
        return Arrays.stream(values()).filter(p -> p.apiName.equals(name)).findFirst();
    }
}
