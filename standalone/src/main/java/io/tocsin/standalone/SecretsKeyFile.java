package io.tocsin.standalone;

import io.tocsin.common.security.SecretBox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The standalone's secrets key ({@code tocsin.secrets.key}, AES-256 for secret integration settings): created at
 * the first start in {@code <data-dir>/secrets.key} (mode 0600), read at every later start. A configured key
 * replaces it. Losing the file makes stored secrets unreadable: back it up with the data directory.
 */
final class SecretsKeyFile {

    static final String FILE = "secrets.key";

    private SecretsKeyFile() {
    }

    static String load(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        String key = SecretBox.newKey();
        PrivateFiles.write(file, key + "\n");
        return key;
    }
}
