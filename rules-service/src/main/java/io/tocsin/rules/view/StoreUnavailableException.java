package io.tocsin.rules.view;

/**
 * A store cannot be read right now: the topology is rebalancing or restoring, a partition has no active instance
 * yet, or the instance holding part of the answer did not reply. Answered as 503 problem+json with a
 * {@code Retry-After} by {@link StoreUnavailableHandler}, never as an empty or partial result: an operator must not
 * read "no open alarms" when the truth is "not known yet".
 */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String detail) {
        super(detail, null, false, false);
    }
}
