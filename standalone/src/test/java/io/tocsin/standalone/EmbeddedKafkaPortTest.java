package io.tocsin.standalone;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaPortTest {

    @TempDir
    Path dataDir;

    @Test
    void aTakenKafkaPortIsReportedWithWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("localhost", 0));
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> Standalone.start(new String[0], Map.of("tocsin.standalone.data-dir", dataDir.toString(),
                    "tocsin.standalone.kafka-port", port, "tocsin.standalone.controller-port", StandaloneJarIT.freePort())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Port " + port + " on localhost is in use, so the embedded Kafka cannot start. Set "
                            + "tocsin.standalone.kafka-port to a free port, or use the Kafka that runs there with --kafka=localhost:" + port);
        }
    }
}
