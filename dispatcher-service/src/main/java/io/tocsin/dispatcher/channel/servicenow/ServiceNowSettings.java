package io.tocsin.dispatcher.channel.servicenow;

import io.tocsin.dispatcher.channel.AlarmText;
import io.tocsin.dispatcher.channel.ServiceSettings;
import io.tocsin.dispatcher.channel.ServiceUrls;
import io.tocsin.dispatcher.channel.ServiceUrls.BaseRule;
import io.tocsin.dispatcher.integration.IntegrationConfig;
import io.tocsin.schema.wire.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The settings of a ServiceNow integration, checked ({@link #validate}) and read ({@link #of}).
 *
 * <p>Authentication is HTTP Basic ({@code username} + {@code password}, an integration user with the {@code itil}
 * role for incidents or {@code evt_mgmt_integration} for events) or an OAuth 2.0 bearer token ({@code oauthToken}),
 * never both. {@code password} and {@code oauthToken} are secret.
 *
 * <p>Error contract: validation messages name the setting and never contain a value; {@link #of} returns null
 * for settings that {@link #validate} refuses.
 *
 * @param instance      the instance's base URL without a trailing slash, e.g. {@code https://acme.service-now.com}
 * @param authorization the {@code Authorization} header value (a secret)
 * @param eventMode     true for Event Management ({@code em_event}), false for incidents
 * @param closeCode     the resolution code set when an incident is resolved
 * @param assignmentGroup sys_id of the group new incidents are assigned to, or null
 * @param linkTemplate  the {@code link} template, or null
 */
record ServiceNowSettings(String instance, String authorization, boolean eventMode, String closeCode,
                          String assignmentGroup, String linkTemplate) {

    static final String INSTANCE_URL = "instanceUrl";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String OAUTH_TOKEN = "oauthToken";
    static final String MODE = "mode";
    static final String CLOSE_CODE = "closeCode";
    static final String ASSIGNMENT_GROUP = "assignmentGroup";
    static final Set<String> NAMES = Set.of(INSTANCE_URL, USERNAME, PASSWORD, OAUTH_TOKEN, MODE, CLOSE_CODE,
            ASSIGNMENT_GROUP, AlarmText.LINK_SETTING);
    static final Set<String> SECRETS = Set.of(PASSWORD, OAUTH_TOKEN);

    /**
     * The resolution code of current releases' base choice list; older instances use {@code Solved (Permanently)},
     * and a value the instance does not know makes the resolve fail with 403 "Data Policy Exception".
     */
    static final String DEFAULT_CLOSE_CODE = "Solution provided";

    /** Settings are left out of the text: the authorization is a secret. */
    @Override
    public String toString() {
        return "ServiceNowSettings[" + (eventMode ? "event" : "incident") + " mode]";
    }

    static List<FieldError> validate(Map<String, String> settings) {
        List<FieldError> errors = new ArrayList<>();
        if (instance(settings.get(INSTANCE_URL)) == null) {
            errors.add(new FieldError(INSTANCE_URL, "must be the instance's URL, an absolute http:// or https:// URL with a host "
                    + "and no query, e.g. https://acme.service-now.com"));
        }
        boolean user = present(settings, USERNAME);
        boolean password = present(settings, PASSWORD);
        boolean token = present(settings, OAUTH_TOKEN);
        if (token && (user || password)) {
            errors.add(new FieldError(OAUTH_TOKEN, "cannot be combined with username/password: give one way to authenticate"));
        } else if (!token && !user && !password) {
            errors.add(new FieldError(USERNAME, "username and password (Basic authentication), or oauthToken, are required"));
        } else if (!token && !user) {
            errors.add(new FieldError(USERNAME, "is required with password"));
        } else if (!token && !password) {
            errors.add(new FieldError(PASSWORD, "is required with username"));
        }
        if (user && (settings.get(USERNAME).contains(":") || ServiceSettings.hasControlCharacters(settings.get(USERNAME)))) {
            errors.add(new FieldError(USERNAME, "must not contain ':' or control characters (HTTP Basic authentication)"));
        }
        if (password && ServiceSettings.hasControlCharacters(settings.get(PASSWORD))) {
            errors.add(new FieldError(PASSWORD, "must not contain control characters"));
        }
        if (token && !settings.get(OAUTH_TOKEN).strip().matches("[\\x21-\\x7e]+")) {
            errors.add(new FieldError(OAUTH_TOKEN, "must be a bearer token: printable ASCII without spaces"));
        }
        String mode = settings.get(MODE);
        if (mode != null && !mode.isBlank() && !Set.of("incident", "event").contains(mode.strip().toLowerCase(Locale.ROOT))) {
            errors.add(new FieldError(MODE, "must be 'incident' (the default: Table API incidents) or 'event' (Event Management em_event)"));
        }
        String closeCode = settings.get(CLOSE_CODE);
        if (closeCode != null && (ServiceSettings.hasControlCharacters(closeCode) || closeCode.strip().length() > 40)) {
            errors.add(new FieldError(CLOSE_CODE, "must be a resolution code value of at most 40 characters, e.g. 'Solution provided'"));
        }
        String group = settings.get(ASSIGNMENT_GROUP);
        if (group != null && !group.isBlank() && !group.strip().matches("[0-9a-fA-F]{32}")) {
            errors.add(new FieldError(ASSIGNMENT_GROUP, "must be the sys_id of a group (32 hexadecimal characters)"));
        }
        ServiceSettings.checkLink(settings, errors);
        return errors;
    }

    /** The settings of {@code integration}, or null when they are invalid. */
    static ServiceNowSettings of(IntegrationConfig integration) {
        if (!validate(integration.settings()).isEmpty()) {
            return null;
        }
        String token = integration.setting(OAUTH_TOKEN);
        String authorization = token != null ? "Bearer " + token.strip()
                : "Basic " + Base64.getEncoder().encodeToString((integration.setting(USERNAME).strip() + ":"
                        + integration.setting(PASSWORD)).getBytes(StandardCharsets.UTF_8));
        return new ServiceNowSettings(instance(integration.setting(INSTANCE_URL)), authorization,
                "event".equalsIgnoreCase(integration.setting(MODE, "incident").strip()),
                integration.setting(CLOSE_CODE, DEFAULT_CLOSE_CODE).strip(),
                integration.setting(ASSIGNMENT_GROUP) == null ? null : integration.setting(ASSIGNMENT_GROUP).strip(),
                integration.setting(AlarmText.LINK_SETTING));
    }

    /** The secret values of {@code integration}, to remove from any service message quoted in a reason. */
    static List<String> secretValues(IntegrationConfig integration) {
        return SECRETS.stream().map(integration::setting).filter(v -> v != null && v.length() >= 4).toList();
    }

    /** The instance URL without trailing slashes, or null when it is not an absolute http(s) URL without query. */
    static String instance(String url) {
        return ServiceUrls.base(url, BaseRule.NO_USER_INFO);
    }

    private static boolean present(Map<String, String> settings, String name) {
        String value = settings.get(name);
        return value != null && !value.isBlank();
    }
}
