package io.tocsin.cloud.provider.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import reactor.core.publisher.Mono;

/**
 * Azurite's Blob service (Microsoft's Azure Storage emulator, https://github.com/Azure/Azurite) as a child process,
 * for the Blob tests: the Azure SDK talks to it as to Azure, path-style ({@code https://127.0.0.1:port/{account}}).
 * It runs in memory on a free port, over HTTPS with {@link AzureTestTls}'s certificate, with
 * {@code --oauth basic}: a request must carry a bearer token, which Azurite checks as Azure does except for the
 * signature (format, {@code nbf}/{@code exp}, an Entra ID issuer, a Storage audience, the account of a per-account
 * audience; see {@code BlobTokenAuthenticator} in Azurite's source). {@link #token} mints such tokens; the tests serve
 * them from their Entra ID token endpoint. The account is the test's, given to Azurite by {@code AZURITE_ACCOUNTS}.
 * Azurite's debug log (every request with its headers) is kept, for the tests to search for secrets.
 *
 * <p>Azurite is installed by {@code scripts/install-azurite.sh} (which {@code .ci/run} calls) into
 * {@code $TOCSIN_AZURITE_HOME}, else {@code ${XDG_CACHE_HOME:-$HOME/.cache}/tocsin/azurite-VERSION}; without it, or
 * without {@code node}, the constructor throws naming the script: the tests fail, they are never skipped.
 */
final class AzuriteServer implements AutoCloseable {

    static final String VERSION = "3.37.0";
    /** The audience Entra ID gives a token asked for with scope {@code https://storage.azure.com/.default}. */
    static final String STORAGE_AUDIENCE = "https://storage.azure.com";
    private static final Pattern LISTENING = Pattern.compile("successfully listens on https://127\\.0\\.0\\.1:(\\d+)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String account;
    private final Path work;
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final int port;

    /** Starts Azurite with one storage account, {@code account}, and waits until it listens. */
    AzuriteServer(String account) throws IOException {
        this.account = account;
        Path main = home().resolve("node_modules/azurite/dist/src/blob/main.js");
        if (!Files.isRegularFile(main)) {
            throw new IllegalStateException("Azurite " + VERSION + " is not installed at " + home() + ": run scripts/install-azurite.sh "
                    + "(needs node and npm; .ci/run does it)");
        }
        work = Files.createTempDirectory("azurite");
        AzureTestTls.writePem(work.resolve("cert.pem"), work.resolve("key.pem"));
        // --blobPort 0: the system's free port, which Azurite prints. --skipApiVersionCheck: the SDK may send a newer
        // x-ms-version than this Azurite knows. --disableTelemetry: Azurite otherwise reports to Microsoft. (It refuses
        // --location with --inMemoryPersistence: the working directory is the temporary one instead.)
        ProcessBuilder builder = new ProcessBuilder(node(), main.toString(), "--blobHost", "127.0.0.1", "--blobPort", "0",
                "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry",
                "--oauth", "basic", "--cert", work.resolve("cert.pem").toString(), "--key", work.resolve("key.pem").toString(),
                "--debug", work.resolve("debug.log").toString()).directory(work.toFile()).redirectErrorStream(true);
        byte[] key = new byte[64];
        RANDOM.nextBytes(key);
        builder.environment().put("AZURITE_ACCOUNTS", account + ":" + Base64.getEncoder().encodeToString(key));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start node for Azurite (" + e.getMessage() + "): install Node.js 20+ "
                    + "and run scripts/install-azurite.sh", e);
        }
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> drain(listening), "azurite-output");
        reader.setDaemon(true);
        reader.start();
        try {
            port = listening.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException("Azurite did not start: " + output, e);
        }
    }

    /** Where Azurite is installed: as scripts/install-azurite.sh decides. */
    static Path home() {
        String explicit = System.getenv("TOCSIN_AZURITE_HOME");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("tocsin").resolve("azurite-" + VERSION);
    }

    private static String node() {
        String explicit = System.getenv("TOCSIN_NODE");
        return explicit != null && !explicit.isBlank() ? explicit : "node";
    }

    /** {@code https://127.0.0.1:port/}: the Blob endpoint setting is this with {@code {account}} after it. */
    String base() {
        return "https://127.0.0.1:" + port + "/";
    }

    /**
     * A container client of the account as an administrator (a valid token), to create containers and look at
     * what the adapter stored through Azurite's own answers (properties, Get Block List).
     */
    BlobContainerClient container(String name) {
        String token = token(AzureFixtures.TENANT, STORAGE_AUDIENCE);
        AccessToken access = new AccessToken(token, OffsetDateTime.now(ZoneOffset.UTC).plusHours(1));
        return new BlobServiceClientBuilder().endpoint(base() + account).credential(request -> Mono.just(access))
                .httpClient(new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(AzureTestTls.client())).build())
                .buildClient().getBlobContainerClient(name);
    }

    void createContainer(String name) {
        container(name).create();
    }

    /** Azurite's debug log so far: every request line and its headers, and what Azurite did with it. */
    String debugLog() {
        try {
            Path log = work.resolve("debug.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An access token as Entra ID issues for an application (v1 claims, as Storage tokens are): issuer
     * {@code https://sts.windows.net/{tenant}/}, {@code audience}, valid from a minute ago for an hour. Signed with
     * random bytes, since Azurite's basic OAuth does not check signatures (the one thing it does not check).
     */
    static String token(String tenant, String audience) {
        long now = Instant.now().getEpochSecond();
        String header = "{\"typ\":\"JWT\",\"alg\":\"RS256\"}";
        String claims = ("{\"aud\":\"%s\",\"iss\":\"https://sts.windows.net/%s/\",\"iat\":%d,\"nbf\":%d,\"exp\":%d,"
                + "\"appid\":\"%s\",\"tid\":\"%s\",\"idtyp\":\"app\",\"ver\":\"1.0\"}")
                .formatted(audience, tenant, now - 60, now - 60, now + 3600, AzureFixtures.APPLICATION, tenant);
        byte[] signature = new byte[256];
        RANDOM.nextBytes(signature);
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
                + "." + url.encodeToString(signature);
    }

    /** The recorded Entra ID token response (entra-token.json) carrying {@code token} as its access token. */
    static String tokenResponse(String token) {
        String recorded = AzureFixtures.read("entra-token.json");
        if (!recorded.contains(AzureFixtures.TOKEN)) {
            throw new IllegalStateException("entra-token.json no longer carries AzureFixtures.TOKEN");
        }
        return recorded.replace(AzureFixtures.TOKEN, token);
    }

    /** Stops Azurite (its whole process tree) and deletes its directory. */
    @Override
    public void close() {
        List<ProcessHandle> tree = new ArrayList<>(process == null ? List.of() : process.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing a test for
        }
    }

    /** Reads Azurite's console (it must be read, or a full pipe stalls it) and reports the port it listens on. */
    private void drain(CompletableFuture<Integer> listening) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (output.length() < 64 * 1024) {
                    output.append(line).append('\n');
                }
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    listening.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        listening.completeExceptionally(new IllegalStateException("Azurite exited (" + output + ")"));
    }
}
