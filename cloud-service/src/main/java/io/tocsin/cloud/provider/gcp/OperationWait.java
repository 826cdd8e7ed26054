package io.tocsin.cloud.provider.gcp;

import com.google.cloud.compute.v1.Errors;
import com.google.cloud.compute.v1.Operation;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudException.Kind;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Waits for a Compute Engine zone operation to be {@code DONE}, reading it again every poll interval for at most
 * the configured wait. {@code zoneOperations.get} is used rather than {@code zoneOperations.wait} (which holds the
 * request up to 2 minutes on Google's side): each read then stays within the call timeout, and the wait is
 * Tocsin's bound alone.
 *
 * <p>Error contract: {@link CloudException}: the operation's own error (https://cloud.google.com/compute/docs/reference/rest/v1/zoneOperations,
 * {@code error.errors[].code/message} with {@code httpErrorStatusCode}) classified by that status
 * ({@code INVALID} when it has none); {@code UNAVAILABLE} when the wait ends first or the thread is interrupted.
 * A failed read is the caller's to classify.
 */
final class OperationWait {

    private final GcpSettings settings;
    private final String action;
    private final Function<String, Operation> read;
    private Operation operation;

    /**
     * @param action    what the operation does, for messages ("stop instance web-1 in zone europe-west1-b of project p")
     * @param operation the operation as the action answered it
     * @param read      reads the operation again by name
     */
    OperationWait(GcpSettings settings, String action, Operation operation, Function<String, Operation> read) {
        this.settings = settings;
        this.action = action;
        this.operation = operation;
        this.read = read;
    }

    /** Returns once the operation is DONE without an error; throws otherwise. */
    Operation untilDone() {
        long deadline = System.nanoTime() + settings.operationWait().toNanos();
        while (operation.getStatus() != Operation.Status.DONE) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new CloudException(Kind.UNAVAILABLE, action + ": operation " + operation.getName() + " is still "
                        + operation.getStatus() + " after " + settings.operationWait() + "; it goes on at Google, list the "
                        + "instances to see its effect", null);
            }
            try {
                Thread.sleep(Duration.ofNanos(Math.min(left, settings.operationPollInterval().toNanos())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CloudException(Kind.UNAVAILABLE, action + ": interrupted while waiting for operation "
                        + operation.getName(), e);
            }
            operation = read.apply(operation.getName());
        }
        if (operation.hasError() && operation.getError().getErrorsCount() > 0) {
            int status = operation.hasHttpErrorStatusCode() ? operation.getHttpErrorStatusCode() : 0;
            Kind kind = status > 0 ? GcpErrors.kind(status) : Kind.INVALID;
            String errors = operation.getError().getErrorsList().stream().map(OperationWait::describe).collect(Collectors.joining("; "));
            throw new CloudException(kind, action + ": operation " + operation.getName() + " failed"
                    + (status > 0 ? " (HTTP " + status + ")" : "") + ": " + errors, null);
        }
        return operation;
    }

    private static String describe(Errors error) {
        return error.getCode() + (error.getMessage().isEmpty() ? "" : ": " + error.getMessage());
    }
}
