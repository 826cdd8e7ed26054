package io.tocsin.standalone.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code k8s/manifests/all.yaml} is the chart rendered with its default values, for those who apply plain manifests:
 * this test renders the chart again and fails when the file differs, so a chart change cannot leave it stale.
 *
 * <p>Regenerate it (after a deliberate chart change) with the system property {@value #UPDATE}:
 * <pre>./mvnw -B -ntp -q test -pl standalone -am -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest=ManifestsSyncTest -Dtocsin.manifests.update=true</pre>
 * With it the test writes the file and passes; without it, a difference is a failure that names the command.
 */
class ManifestsSyncTest {

    static final String UPDATE = "tocsin.manifests.update";

    static final String HEADER = """
            # Tocsin rendered from k8s/helm/tocsin with its default values (release name "tocsin"): do not edit.
            # Kept in sync by standalone/src/test/java/io/tocsin/standalone/deploy/ManifestsSyncTest.java; regenerate with
            #   ./mvnw -B -ntp -q test -pl standalone -am -Dsurefire.failIfNoSpecifiedTests=false \\
            #       -Dtest=ManifestsSyncTest -Dtocsin.manifests.update=true
            # Apply with: kubectl apply -n <namespace> -f k8s/manifests/all.yaml (see k8s/README.md).
            """;

    @Test
    void theManifestsAreTheChartRenderedWithDefaultValues() throws Exception {
        Path file = RenderedChart.repositoryRoot().resolve("k8s/manifests/all.yaml");
        String expected = HEADER + RenderedChart.template().strip() + "\n";
        if (Boolean.getBoolean(UPDATE)) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, expected, StandardCharsets.UTF_8);
            System.out.println("wrote " + file);
        }
        assertThat(file).as("k8s/manifests/all.yaml is missing; create it with -D" + UPDATE + "=true").exists();
        assertThat(Files.readString(file, StandardCharsets.UTF_8))
                .as("k8s/manifests/all.yaml differs from the chart rendered with default values; regenerate it with -D"
                        + UPDATE + "=true (see this test's Javadoc) and review the diff")
                .isEqualTo(expected);
    }
}
