package io.tocsin.standalone;

import io.tocsin.common.security.ApiTokens;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The standalone's API tokens: created at the first start, printed once, and kept in
 * {@code <data-dir>/api-tokens.properties} as SHA-256 digests only (file mode 0600). A token given in
 * configuration ({@code tocsin.security.ingest-token} / {@code admin-token}) replaces the generated one.
 * To get new tokens, delete the file and restart.
 */
final class ApiTokenFile {

    static final String FILE = "api-tokens.properties";

    /** Properties to start the services with, and the tokens created just now (to print once). */
    record Tokens(Map<String, Object> properties, Map<ApiTokens.Role, String> created) {
    }

    private ApiTokenFile() {
    }

    static Tokens load(Path dataDir, boolean ingestConfigured, boolean adminConfigured) throws IOException {
        Path file = dataDir.resolve(FILE);
        Properties stored = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                stored.load(in);
            }
        }
        Map<ApiTokens.Role, String> created = new LinkedHashMap<>();
        Map<String, Object> properties = new LinkedHashMap<>();
        boolean changed = false;
        for (ApiTokens.Role role : ApiTokens.Role.values()) {
            boolean configured = role == ApiTokens.Role.INGEST ? ingestConfigured : adminConfigured;
            if (configured) {
                continue;
            }
            String key = role.name().toLowerCase() + "-token-sha256";
            String digest = stored.getProperty(key);
            if (digest == null) {
                String token = ApiTokens.generate(role);
                digest = ApiTokens.sha256Hex(token);
                stored.setProperty(key, digest);
                created.put(role, token);
                changed = true;
            }
            properties.put("tocsin.security." + key, digest);
        }
        if (changed) {
            write(file, stored);
        }
        return new Tokens(properties, created);
    }

    private static void write(Path file, Properties stored) throws IOException {
        java.io.StringWriter out = new java.io.StringWriter();
        stored.store(out, "Tocsin API tokens (SHA-256 digests). Delete this file and restart to create new tokens.");
        PrivateFiles.write(file, out.toString());
    }
}
