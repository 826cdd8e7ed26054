package io.tocsin.standalone.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The image files agree with each other and with the services, where nothing else would notice a drift until
 * a container misbehaves (the images are not built in the test command): docker-compose.yml repeats the
 * Dockerfile's HEALTHCHECK command exactly; each service's port is the same in its
 * {@code application-<service>.yml}, in {@code scripts/build-images.sh} (which sets the image's port) and in
 * docker-compose.yml's port mapping; the Dockerfile runs as the fixed non-root UID the documentation names.
 */
class ImageConsistencyTest {

    private static final Path DOCKERFILE = ComposeFile.ROOT.resolve("docker/Dockerfile");
    private static final Path BUILD_SCRIPT = ComposeFile.ROOT.resolve("scripts/build-images.sh");

    @Test
    void composeRunsTheImagesOwnHealthCheck() throws Exception {
        String dockerfile = Files.readString(DOCKERFILE).replace("\\\n", " ");
        Matcher healthcheck = Pattern.compile("(?m)^HEALTHCHECK .*?\\bCMD\\s+(\\[.*])\\s*$").matcher(dockerfile);
        assertThat(healthcheck.find()).as("a HEALTHCHECK ... CMD [...] instruction in %s", DOCKERFILE).isTrue();
        List<String> expected = new ArrayList<>(List.of("CMD"));
        for (Object part : new ObjectMapper().readValue(healthcheck.group(1), List.class)) {
            expected.add(String.valueOf(part));
        }
        assertThat(expected).as("the health check runs the HealthCheck class").contains("HealthCheck");

        Map<?, ?> services = (Map<?, ?>) ((Map<?, ?>) new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(ComposeFile.FILE))).get("services");
        for (String service : ComposeFile.load().tocsinServices().keySet()) {
            Map<?, ?> check = (Map<?, ?>) ((Map<?, ?>) services.get(service)).get("healthcheck");
            assertThat(check).as("healthcheck of %s", service).isNotNull();
            assertThat(check.get("test")).as("healthcheck test of %s", service).isEqualTo(expected);
        }
    }

    @Test
    void eachServiceHasOnePortEverywhere() throws Exception {
        Map<String, Integer> scriptPorts = new TreeMap<>();
        Matcher port = Pattern.compile("\\b(collector|rules|dispatcher|cloud)\\) echo (\\d+)").matcher(Files.readString(BUILD_SCRIPT));
        while (port.find()) {
            scriptPorts.put(port.group(1), Integer.valueOf(port.group(2)));
        }
        ComposeFile compose = ComposeFile.load();
        Map<?, ?> services = (Map<?, ?>) ((Map<?, ?>) new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(compose.text())).get("services");
        compose.tocsinServices().forEach((composeService, service) -> {
            int configured = serverPort(service);
            assertThat(scriptPorts.get(service)).as("port of %s in build-images.sh", service).isEqualTo(configured);
            Object ports = ((Map<?, ?>) services.get(composeService)).get("ports");
            assertThat(ports).as("ports of %s in docker-compose.yml", composeService).isEqualTo(List.of(configured + ":" + configured));
        });
        assertThat(scriptPorts).as("build-images.sh knows the four services").hasSize(4);
    }

    @Test
    void theImageRunsAsTheFixedNonRootUser() throws Exception {
        String dockerfile = Files.readString(DOCKERFILE);
        assertThat(dockerfile).containsPattern("(?m)^USER 10001:10001$").containsPattern("(?m)^FROM eclipse-temurin:\\$\\{JAVA_VERSION}-jre$")
                .containsPattern("(?m)^ARG JAVA_VERSION=25$");
        assertThat(Files.readString(ComposeFile.ROOT.resolve("docs/deploy.md"))).contains("UID and GID **10001**");
    }

    /** {@code micronaut.server.port} of {@code <service>-service/src/main/resources/application-<service>.yml}. */
    private static int serverPort(String service) {
        Path yml = ComposeFile.ROOT.resolve(service + "-service/src/main/resources/application-" + service + ".yml");
        try {
            Map<?, ?> config = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(yml));
            Object port = ((Map<?, ?>) ((Map<?, ?>) config.get("micronaut")).get("server")).get("port");
            assertThat(port).as("micronaut.server.port in %s", yml).isInstanceOf(Integer.class);
            return (Integer) port;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
