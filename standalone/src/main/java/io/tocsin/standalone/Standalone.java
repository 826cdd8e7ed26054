package io.tocsin.standalone;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tocsin.common.security.ApiTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tocsin in one process: {@code java -jar standalone/target/tocsin-standalone.jar}. Starts an embedded KRaft
 * broker (unless {@code --kafka=HOST:PORT} names an external cluster), then the collector, rules, dispatcher
 * and cloud services in one Micronaut context serving HTTP on one port (8080).
 *
 * <p>Settings ({@code -Dkey=value}, environment variables, YAML, or these options):
 * {@code --data-dir=DIR} ({@code tocsin.standalone.data-dir}, default {@code ./tocsin-data}),
 * {@code --kafka=HOST:PORT} ({@code tocsin.standalone.kafka}), {@code tocsin.standalone.kafka-port} (9092) and
 * {@code tocsin.standalone.controller-port} (9093) of the embedded broker. The data directory also holds the API
 * token digests, the secrets key ({@code secrets.key}) and the plugin directory ({@code plugins/}).
 *
 * <p>Ctrl-C / SIGTERM stops the services first (Micronaut's shutdown hook closes the context, Streams leaves
 * its group), then the broker.
 */
public final class Standalone implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Standalone.class);

    private final ApplicationContext context;
    private final EmbeddedKafka kafka;
    private final String bootstrapServers;
    private final Path dataDir;
    private final Map<ApiTokens.Role, String> createdTokens;

    private Standalone(ApplicationContext context, EmbeddedKafka kafka, String bootstrapServers, Path dataDir,
                       Map<ApiTokens.Role, String> createdTokens) {
        this.context = context;
        this.kafka = kafka;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.createdTokens = createdTokens;
    }

    /**
     * Starts Tocsin and prints the banner; {@code --version} and {@code --help} only print and return. A start
     * that fails on a configuration problem ({@link IllegalStateException}) prints one line and exits with 1.
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("--help") || args[0].equals("-h"))) {
            // Answered before anything starts: a cheap way to check which Java runs Tocsin (bin/tocsin's tests use it).
            System.out.println(args[0].equals("--version") ? version() : usage());
            return;
        }
        Instant started = Instant.now();
        Standalone standalone;
        try {
            standalone = start(args, Map.of());
        } catch (IllegalStateException e) {
            System.err.println("Tocsin cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(standalone::stopBrokerAfterContext, "tocsin-broker-shutdown"));
        standalone.printBanner(Duration.between(started, Instant.now()));
    }

    /** {@code Tocsin VERSION on Java RUNTIME (JAVA_HOME)}; the version comes from the jar's manifest. */
    static String version() {
        String version = Standalone.class.getPackage().getImplementationVersion();
        return "Tocsin " + (version == null ? "(unpackaged)" : version) + " on Java " + Runtime.version()
                + " (" + System.getProperty("java.home") + ")";
    }

    static String usage() {
        return String.join("\n",
                "Usage: bin/tocsin [--data-dir=DIR] [--kafka=HOST:PORT] [--setting.name=value ...]",
                "       bin/tocsin --version | --help",
                "Starts the embedded Kafka broker (unless --kafka names a cluster) and the four Tocsin services on one",
                "HTTP port (8080: --micronaut.server.port=PORT). Every setting is in docs/CONFIGURATION.md; JVM options",
                "for bin/tocsin go in TOCSIN_JAVA_OPTS.");
    }

    /**
     * Starts Tocsin. {@code overrides} are configuration properties (tests use them for ports and data dirs).
     */
    public static Standalone start(String[] args, Map<String, Object> overrides) throws Exception {
        Map<String, Object> properties = new HashMap<>(overrides);
        List<String> micronautArgs = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--kafka=")) {
                properties.put("tocsin.standalone.kafka", arg.substring("--kafka=".length()));
            } else if (arg.startsWith("--data-dir=")) {
                properties.put("tocsin.standalone.data-dir", arg.substring("--data-dir=".length()));
            } else {
                micronautArgs.add(arg);
            }
        }
        String[] rest = micronautArgs.toArray(String[]::new);
        Environment settings = ApplicationContext.builder().environments("standalone").args(rest).properties(properties).build()
                .getEnvironment().start();
        Path dataDir = Path.of(settings.getProperty("tocsin.standalone.data-dir", String.class).orElse("tocsin-data")).toAbsolutePath();
        String external = settings.getProperty("tocsin.standalone.kafka", String.class).orElse("");
        int kafkaPort = settings.getProperty("tocsin.standalone.kafka-port", Integer.class).orElse(9092);
        int controllerPort = settings.getProperty("tocsin.standalone.controller-port", Integer.class).orElse(9093);
        boolean ingestConfigured = settings.getProperty("tocsin.security.ingest-token", String.class).filter(s -> !s.isBlank()).isPresent();
        boolean adminConfigured = settings.getProperty("tocsin.security.admin-token", String.class).filter(s -> !s.isBlank()).isPresent();
        boolean secretsKeyConfigured = settings.getProperty("tocsin.secrets.key", String.class).filter(s -> !s.isBlank()).isPresent();
        settings.stop();

        EmbeddedKafka kafka = null;
        String bootstrap = external;
        if (external.isBlank()) {
            kafka = new EmbeddedKafka(dataDir, kafkaPort, controllerPort);
            bootstrap = kafka.bootstrapServers();
        }
        try {
            ApiTokenFile.Tokens tokens = ApiTokenFile.load(dataDir, ingestConfigured, adminConfigured);
            properties.putAll(tokens.properties());
            properties.put("tocsin.kafka.bootstrap-servers", bootstrap);
            properties.putIfAbsent("tocsin.rules.state-dir", dataDir.resolve("streams").toString());
            properties.putIfAbsent("tocsin.dispatcher.plugin-dir", dataDir.resolve("plugins").toString());
            if (!secretsKeyConfigured) {
                properties.put("tocsin.secrets.key", SecretsKeyFile.load(dataDir));
            }
            ApplicationContext context = Micronaut.build(rest).mainClass(Standalone.class).environments("standalone")
                    .properties(properties).start();
            return new Standalone(context, kafka, bootstrap, dataDir, tokens.created());
        } catch (Exception | Error e) {
            if (kafka != null) {
                kafka.close();
            }
            throw e;
        }
    }

    public String url() {
        return "http://localhost:" + context.getBean(EmbeddedServer.class).getPort();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Tokens created by this start (empty when they already existed or were configured). */
    public Map<ApiTokens.Role, String> createdTokens() {
        return createdTokens;
    }

    public ApplicationContext context() {
        return context;
    }

    private void printBanner(Duration startup) {
        StringBuilder banner = new StringBuilder()
                .append("\n  Tocsin standalone is up at ").append(url()).append(" (started in ").append(startup.toMillis()).append(" ms)\n")
                .append("  Kafka: ").append(kafka != null ? "embedded KRaft at " : "external at ").append(bootstrapServers).append('\n')
                .append("  Data:  ").append(dataDir).append('\n');
        if (java.nio.file.Files.exists(dataDir.resolve(SecretsKeyFile.FILE))) {
            banner.append("  Secrets key: ").append(dataDir.resolve(SecretsKeyFile.FILE))
                    .append(" (encrypts integration secrets; back it up with the data)\n");
        }
        if (createdTokens.isEmpty()) {
            banner.append("  API tokens: as printed at the first start (digests in ").append(dataDir.resolve(ApiTokenFile.FILE)).append(")\n");
        } else {
            banner.append("  API tokens, shown this once (only their SHA-256 is kept, in ").append(dataDir.resolve(ApiTokenFile.FILE)).append("):\n");
            createdTokens.forEach((role, token) -> banner.append("    ").append(String.format("%-8s", role.name().toLowerCase() + ":")).append(token).append('\n'));
        }
        System.out.println(banner);
    }

    /** Shutdown hook: Micronaut's own hook closes the context; the broker goes once the services are gone. */
    private void stopBrokerAfterContext() {
        Instant deadline = Instant.now().plusSeconds(30);
        while (context.isRunning() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (kafka != null) {
            kafka.close();
        }
        // Logging may already be shut down by now; stdout is still there.
        System.out.println("Tocsin standalone stopped");
    }

    /** Stops the services, then the embedded broker. */
    @Override
    public void close() {
        try {
            context.close();
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
        LOG.info("Tocsin standalone stopped");
    }
}
