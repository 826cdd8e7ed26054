package io.tocsin.common.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * API tokens ({@code tocsin.security.*}). Each token may be given in clear ({@code ingest-token}, e.g. from a
 * Kubernetes Secret) or as the hex SHA-256 of the token ({@code ingest-token-sha256}, what the standalone keeps
 * in its data directory so the token itself is shown once and stored nowhere).
 *
 * @param ingestToken        token of senders ({@code /api/v1/ingest/**})
 * @param ingestTokenSha256  hex SHA-256 of the ingest token
 * @param adminToken         token of administrators (all of {@code /api/**})
 * @param adminTokenSha256   hex SHA-256 of the admin token
 */
@ConfigurationProperties("tocsin.security")
public record SecuritySettings(@Nullable String ingestToken, @Nullable String ingestTokenSha256,
                               @Nullable String adminToken, @Nullable String adminTokenSha256) {
}
