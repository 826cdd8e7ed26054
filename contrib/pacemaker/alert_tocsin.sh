#!/bin/sh
#
# alert_tocsin.sh - Pacemaker alert agent that forwards every alert to Tocsin's collector
# (POST /api/v1/ingest/pacemaker). Documentation: docs/ingest-pacemaker.md.
#
# Pacemaker runs the agent once per recipient with the CRM_alert_* environment variables and the alert's
# instance attributes as environment variables (Pacemaker Explained, "Alert Agents").
#
#   recipient                 the collector's endpoint URL, e.g.
#                             https://tocsin.example.com:8081/api/v1/ingest/pacemaker?source=prod-ha&cluster=prod-ha
#   tocsin_token              the ingest token (instance attribute) ...
#   tocsin_token_file         ... or a file holding it, readable by hacluster only (keeps the token out of the CIB)
#   tocsin_timeout            seconds one attempt may take (default 10; keep it below the alert's timeout, 30s)
#   tocsin_retries            attempts after a failed one when the collector is unreachable or answers 503 (default 1)
#   tocsin_source, tocsin_cluster, tocsin_reporter
#                             sent as fields: the alarms' source and cluster (the URL's query wins), and the name
#                             of this node (default: uname -n), whose CRM_alert_node_sequence the alert carries
#
# Security: no value is ever evaluated by a shell. awk reads the variables from its environment (ENVIRON) and
# writes a curl configuration, quoted for curl's config syntax, which curl reads on standard input: neither the
# values nor the token appear in any command line (ps), and no temporary file is written. The recipient must be
# an http(s) URL and curl is limited to those protocols.
#
# Exit status: 0 when the collector accepted the alert (or no recipient is configured); non-zero otherwise, with
# a message on standard error (Pacemaker logs it). Pacemaker does not retry a failed alert.

PROG=alert_tocsin.sh

fail() {
    printf '%s: %s\n' "$PROG" "$1" >&2
    exit 1
}

# Seed 004: agents may be called with no recipient while the configuration is being built; that is not an error.
if [ -z "${CRM_alert_recipient:-}" ]; then
    printf '%s: no recipient configured (it must be the collector URL); alert not sent\n' "$PROG" >&2
    exit 0
fi
case $CRM_alert_recipient in
    http://*|https://*) ;;
    *) fail "the recipient must be the collector's http:// or https:// URL" ;;
esac
if [ -z "${tocsin_token:-}" ] && [ -z "${tocsin_token_file:-}" ]; then
    fail "set the instance attribute tocsin_token or tocsin_token_file (the collector's ingest token)"
fi
timeout=${tocsin_timeout:-10}
case $timeout in
    ''|*[!0-9]*|0) fail "tocsin_timeout must be a whole number of seconds above 0" ;;
esac
retries=${tocsin_retries:-1}
case $retries in
    ''|*[!0-9]*) fail "tocsin_retries must be a whole number" ;;
esac
if [ -z "${tocsin_reporter:-}" ]; then
    tocsin_reporter=$(uname -n) || fail "cannot read this node's name (uname -n); set tocsin_reporter"
fi
TOCSIN_TIMEOUT=$timeout
TOCSIN_RETRIES=$retries
export tocsin_reporter TOCSIN_TIMEOUT TOCSIN_RETRIES

# The curl configuration. Every value comes from ENVIRON, never from the shell; q() quotes it for curl's config
# syntax (inside double quotes curl understands \\ \" \n \r \t), so quotes, $(...), backquotes and newlines in
# a value reach the collector verbatim. LC_ALL=C: awk works on bytes, whatever the encoding of a value.
config=$(LC_ALL=C awk '
function q(s,    out, i, c) {
    out = ""
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c == "\\") out = out "\\\\"
        else if (c == "\"") out = out "\\\""
        else if (c == "\n") out = out "\\n"
        else if (c == "\r") out = out "\\r"
        else if (c == "\t") out = out "\\t"
        else out = out c
    }
    return "\"" out "\""
}
BEGIN {
    token = ENVIRON["tocsin_token"]
    file = ENVIRON["tocsin_token_file"]
    if (token == "" && file != "") {
        if ((getline token < file) <= 0) {
            print "cannot read the token file named by tocsin_token_file" > "/dev/stderr"
            exit 2
        }
        close(file)
        sub(/\r$/, "", token)
    }
    if (token == "" || index(token, "\n") || index(token, "\r")) {
        print "the token is empty or spans lines" > "/dev/stderr"
        exit 2
    }
    print "url = " q(ENVIRON["CRM_alert_recipient"])
    print "proto = \"=http,https\""
    print "header = " q("Authorization: Bearer " token)
    print "max-time = " ENVIRON["TOCSIN_TIMEOUT"]
    print "retry = " ENVIRON["TOCSIN_RETRIES"]
    print "retry-connrefused"
    print "silent"
    print "show-error"
    print "write-out = \"\\n%{http_code}\""
    n = split("CRM_alert_kind CRM_alert_node CRM_alert_nodeid CRM_alert_node_sequence CRM_alert_recipient " \
              "CRM_alert_timestamp CRM_alert_timestamp_epoch CRM_alert_timestamp_usec CRM_alert_version " \
              "CRM_alert_desc CRM_alert_rc CRM_alert_task CRM_alert_exec_time CRM_alert_interval CRM_alert_rsc " \
              "CRM_alert_status CRM_alert_target_rc CRM_alert_attribute_name CRM_alert_attribute_value " \
              "tocsin_source tocsin_cluster tocsin_reporter", names, " ")
    for (i = 1; i <= n; i++) {
        if (names[i] in ENVIRON) {
            print "data-urlencode = " q(names[i] "=" ENVIRON[names[i]])
        }
    }
}') || fail "could not build the request (see the message above)"

# printf is a shell builtin: the configuration, token included, goes to curl through a pipe, not a command line.
response=$(printf '%s\n' "$config" | curl --config -)
status=$?
config=
if [ "$status" -ne 0 ]; then
    fail "could not deliver the ${CRM_alert_kind:-unknown} alert to $CRM_alert_recipient (curl exit status $status)"
fi
newline='
'
code=${response##*"$newline"}
body=${response%"$newline"*}
case $code in
    2??) exit 0 ;;
esac
body=$(printf '%s' "$body" | tr '\r\n' '  ' | cut -c 1-500 | sed 's/ *$//')
fail "the collector at $CRM_alert_recipient answered HTTP $code to the ${CRM_alert_kind:-unknown} alert: $body"
