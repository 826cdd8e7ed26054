package io.tocsin.standalone.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml is a valid Compose file, as Debian's {@code docker-compose} (1.29, installed by
 * {@code .ci/run}) reads it: {@code docker-compose config -q} exits 0 without and with the {@code try} profile,
 * and with {@code .env.example} as the environment file, and Compose resolves the services' environment as
 * {@link ComposeEnvironmentTest} reads it. (Compose 1.29's {@code config} lists every service whatever the
 * profiles; which services belong to {@code try} is checked on the file itself, in {@link ComposeEnvironmentTest}.)
 *
 * <p>{@code config} only reads and validates the file: no container engine is needed. A missing binary fails
 * the test (it is never skipped) with a message saying how to install it. Each run gets an empty environment
 * file and no {@code COMPOSE_*} variables, so a developer's own {@code .env} or shell cannot change the outcome.
 */
class ComposeConfigTest {

    private static final String BINARY = "docker-compose";

    @TempDir
    Path workDir;

    @Test
    void theFileIsValid() throws Exception {
        assertValid(List.of("--env-file", emptyEnvFile().toString()));
    }

    @Test
    void theFileIsValidWithTheTryProfile() throws Exception {
        assertValid(List.of("--env-file", emptyEnvFile().toString(), "--profile", "try"));
    }

    @Test
    void theFileIsValidWithTheExampleEnvFile() throws Exception {
        assertValid(List.of("--env-file", ComposeFile.ENV_EXAMPLE.toString(), "--profile", "try"));
    }

    /**
     * Compose's own resolution of the file (merge keys, interpolation with no variable set) gives each Tocsin
     * service the environment that {@link ComposeFile} computes, on which {@link ComposeEnvironmentTest} relies.
     */
    @Test
    void composeResolvesTheEnvironmentAsTheOtherTestsRead() throws Exception {
        ComposeFile compose = ComposeFile.load();
        Result result = run(List.of("--env-file", emptyEnvFile().toString(), "--profile", "try", "config"));
        Map<?, ?> services = (Map<?, ?>) ((Map<?, ?>) new Yaml(new SafeConstructor(new LoaderOptions())).load(result.output())).get("services");
        assertThat(services.keySet().stream().map(String::valueOf).toList()).as("services of the resolved file")
                .containsAll(compose.serviceNames());
        for (String service : compose.tocsinServices().keySet()) {
            Map<String, String> resolved = new TreeMap<>();
            ((Map<?, ?>) ((Map<?, ?>) services.get(service)).get("environment"))
                    .forEach((name, value) -> resolved.put(String.valueOf(name), String.valueOf(value)));
            Map<String, String> expected = new TreeMap<>();
            compose.environment(service).forEach((name, value) -> expected.put(name, ComposeFile.interpolated(value)));
            assertThat(resolved).as("environment of %s", service).isEqualTo(expected);
        }
    }

    private void assertValid(List<String> options) throws Exception {
        List<String> arguments = new ArrayList<>(options);
        arguments.addAll(List.of("config", "-q"));
        Result result = run(arguments);
        assertThat(result.output()).as("docker-compose config -q prints nothing for a valid file").isBlank();
        // Compose warns (and substitutes "") for a ${VAR} without default that is not set: every variable needs one.
        assertThat(result.errors()).as("docker-compose warnings").doesNotContainIgnoringCase("variable is not set");
    }

    /** Runs docker-compose -f docker-compose.yml ARGUMENTS in the repository's top level; fails unless it exits 0. */
    private Result run(List<String> arguments) throws IOException, InterruptedException {
        Path binary = locate();
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-f", ComposeFile.FILE.toString()));
        command.addAll(arguments);
        Path output = workDir.resolve("compose-" + System.nanoTime() + ".out");
        Path errors = workDir.resolve("compose-" + System.nanoTime() + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(ComposeFile.ROOT.toFile())
                .redirectOutput(output.toFile()).redirectError(errors.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("COMPOSE_") || name.startsWith("DOCKER_"));
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("%s did not finish within 60 s: %s", command, Files.readString(errors, StandardCharsets.UTF_8));
        }
        Result result = new Result(Files.readString(output, StandardCharsets.UTF_8), Files.readString(errors, StandardCharsets.UTF_8));
        assertThat(process.exitValue()).as("exit status of %s; output:%n%s%n%s", String.join(" ", command),
                result.output(), result.errors()).isZero();
        return result;
    }

    private Path emptyEnvFile() throws IOException {
        return Files.writeString(workDir.resolve("empty.env"), "");
    }

    /** docker-compose on the PATH; fails the test, naming how to get it, when there is none. */
    private static Path locate() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator)).filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, BINARY)).filter(Files::isExecutable).findFirst()
                .orElseGet(() -> fail(BINARY + " is not on the PATH (" + path + "). .ci/run installs it "
                        + "(apt-get install -y --no-install-recommends docker-compose); on another machine install "
                        + "Debian's docker-compose package or Compose v1.29+ the same way."));
    }

    private record Result(String output, String errors) {
    }
}
