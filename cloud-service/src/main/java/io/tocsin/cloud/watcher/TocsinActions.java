package io.tocsin.cloud.watcher;

import java.time.Instant;

/**
 * What the watcher asks before it raises an alarm: did Tocsin itself stop, reboot or terminate this instance? An
 * instance Tocsin acted on through its instances API left {@code running} on purpose, so the watcher raises nothing.
 * The instances API records its actions ({@code io.tocsin.cloud.instances.InstanceActions}) and
 * {@link InstanceApiActions} answers from them; a deployment may replace the bean (e.g. to count actions taken by
 * another tool).
 *
 * <p>Error contract: must not throw and must answer quickly (it is asked on the watcher's single poll thread); an
 * implementation that cannot tell answers {@code false}, since a needless alarm is better than a missed one.
 */
public interface TocsinActions {

    /**
     * @param credentialId the credential the action was taken with
     * @param instanceId   the provider's instance id ({@code Instance.id()})
     * @param location     where the instance is listed ({@code Instance.location()}; may be null)
     * @param since        the earliest time an action counts from
     * @return whether Tocsin took an action on the instance at or after {@code since}
     */
    boolean actedOn(String credentialId, String instanceId, String location, Instant since);
}
