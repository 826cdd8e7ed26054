package io.tocsin.dispatcher;

/**
 * Why an alarm event was dead-lettered after its delivery to an integration failed for good: names the
 * integration and the final {@link io.tocsin.dispatcher.delivery.DeliveryResult} reason, which never contains
 * a URL or a request body.
 */
public class DeliveryFailedException extends RuntimeException {

    public DeliveryFailedException(String message) {
        // No stack trace: the failure is the receiver's answer, not a bug here, and the DLQ only shows the message.
        super(message, null, false, false);
    }
}
