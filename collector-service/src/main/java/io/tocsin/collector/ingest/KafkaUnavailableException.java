package io.tocsin.collector.ingest;

/** Kafka did not acknowledge accepted input in time: nothing may be reported as accepted. */
public class KafkaUnavailableException extends RuntimeException {

    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
