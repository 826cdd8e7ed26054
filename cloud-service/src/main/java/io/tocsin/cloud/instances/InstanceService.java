package io.tocsin.cloud.instances;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.cloud.credentials.CloudCredential;
import io.tocsin.cloud.credentials.CredentialService;
import io.tocsin.cloud.credentials.Provider;
import io.tocsin.cloud.instances.InstanceActions.Action;
import io.tocsin.cloud.provider.CloudException;
import io.tocsin.cloud.provider.CloudProvider;
import io.tocsin.cloud.provider.Instance;
import io.tocsin.common.http.JsonBody;
import io.tocsin.schema.wire.FieldError;
import io.tocsin.schema.wire.InvalidRecordException;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances of a credential, and the actions on them, for every provider through its {@link CloudProvider}.
 * Every action is recorded in {@link InstanceActions} (taken back when the provider refuses it) and logged.
 *
 * <p>Error contract: unknown credential → 404 and no adapter for its provider → 501 ({@link CredentialService});
 * an instance id or location that cannot be one → 400 naming {@code instanceId} or {@code location}; a terminate
 * without {@code {"confirm": "<instanceId>"}} → 400 naming {@code confirm} (nothing is asked of the provider); the
 * provider's refusal → {@link CloudException} (422/404/400/503).
 */
@Singleton
public class InstanceService {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceService.class);
    /** Wide enough for every provider's ids and names (EC2 i-..., GCE names, Azure VM names); no path or query syntax. */
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern LOCATION = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final CredentialService credentials;
    private final InstanceActions actions;

    public InstanceService(CredentialService credentials, InstanceActions actions) {
        this.credentials = credentials;
        this.actions = actions;
    }

    /** The instances in {@code location} (null or empty: the credential's default region), as the provider lists them. */
    public List<Instance> list(String credentialId, String location) {
        CloudCredential credential = credentials.get(credentialId);
        return credentials.provider(credential.provider()).instances(credential, location(location));
    }

    /** Stops, reboots or terminates an instance; a terminate must be confirmed, see {@link #checkConfirmation}. */
    public InstanceActions.Entry act(String credentialId, String instanceId, Action action, String location, byte[] body) {
        List<FieldError> errors = new ArrayList<>();
        if (instanceId == null || !INSTANCE_ID.matcher(instanceId).matches()) {
            errors.add(new FieldError("instanceId", "must be the provider's instance id (letters, digits, . _ -; at most 128)"));
        }
        if (action == Action.TERMINATE) {
            checkConfirmation(instanceId, body, errors);
        }
        String region = location(location, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        CloudCredential credential = credentials.get(credentialId);
        CloudProvider provider = credentials.provider(credential.provider());
        InstanceActions.Entry entry = // Azure acts on a VM by name within the credential's resource group, whatever location was given: record none,
        // so that a location written differently from the VM's own does not make the watcher miss Tocsin's action.
        actions.record(credentialId, instanceId, credential.provider() == Provider.AZURE ? null : region, action);
        try {
            switch (action) {
                case STOP -> provider.stop(credential, region, instanceId);
                case REBOOT -> provider.reboot(credential, region, instanceId);
                case TERMINATE -> provider.terminate(credential, region, instanceId);
            }
        } catch (RuntimeException e) {
            actions.forget(entry);
            throw e;
        }
        LOG.info("Cloud instance {} ({} credential {}, {}): {} asked", instanceId, credential.provider().apiName(), credentialId,
                region == null ? "default region " + credential.defaultRegion() : region, action.apiName());
        return entry;
    }

    /**
     * A terminate cannot be undone, so its body must repeat the instance id: {@code {"confirm": "i-0abc..."}}. A
     * missing or other body, or another id, is refused naming {@code confirm}.
     */
    static void checkConfirmation(String instanceId, byte[] body, List<FieldError> errors) {
        String expected = "must be the instance id of the path (\"" + instanceId + "\"): terminating cannot be undone";
        if (body == null || body.length == 0) {
            errors.add(new FieldError("confirm", "is required: send {\"confirm\": \"" + instanceId + "\"}; terminating cannot be undone"));
            return;
        }
        JsonNode root;
        try {
            root = JsonBody.readObject(body, "confirm");
        } catch (InvalidRecordException e) {
            errors.add(new FieldError("confirm", "is required in a JSON object body {\"confirm\": \"" + instanceId + "\"}"));
            return;
        }
        JsonBody.rejectUnknownFields(root, Set.of("confirm"), "a terminate confirmation", errors);
        String confirm = JsonBody.text(root, "confirm", errors, true);
        if (confirm != null && !confirm.equals(instanceId)) {
            errors.add(new FieldError("confirm", expected));
        }
    }

    private static String location(String location) {
        List<FieldError> errors = new ArrayList<>();
        String region = location(location, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        return region;
    }

    /** Null when not given (the provider uses the credential's default); checked only for its shape here. */
    private static String location(String location, List<FieldError> errors) {
        if (location == null || location.isBlank()) {
            return null;
        }
        String trimmed = location.trim();
        if (!LOCATION.matcher(trimmed).matches()) {
            errors.add(new FieldError("location", "must be a region, zone or location name (e.g. eu-west-1, europe-west1-b, westeurope)"));
        }
        return trimmed;
    }
}
