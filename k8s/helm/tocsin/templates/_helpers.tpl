{{/*
Helpers of the Tocsin chart. Every value that reaches a pod goes through one of three paths:
  - non-secret settings: the workload's ConfigMap "<fullname>-<workload>", key tocsin.yml, a Micronaut YAML
    file named in MICRONAUT_CONFIG_FILES (exact key names, so camelCase settings and dotted Kafka properties
    keep their spelling);
  - secret settings: an environment variable whose value comes from a Secret (the chart's or an existing one);
    where the setting lives in tocsin.yml, the file holds only the placeholder ${SECRET_...} that Micronaut
    resolves from that variable, never the value;
  - settings the chart owns (ports, hostnames, directories): environment variables, which take precedence
    over files in Micronaut.
*/}}

{{- define "tocsin.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "tocsin.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "tocsin.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object; call with (dict "root" $ "component" "rules"). */}}
{{- define "tocsin.labels" -}}
helm.sh/chart: {{ include "tocsin.chart" .root }}
{{ include "tocsin.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: tocsin
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "tocsin.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tocsin.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .component }}
app.kubernetes.io/component: {{ .component }}
{{- end }}
{{- end -}}

{{- define "tocsin.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "tocsin.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The image of a service; call with (dict "root" $ "image" .Values.rules.image). */}}
{{- define "tocsin.image" -}}
{{- $registry := .root.Values.image.registry -}}
{{- $tag := default .root.Values.image.tag .image.tag | default .root.Chart.AppVersion -}}
{{- if $registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" $registry) .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* Name of the Secret holding tocsin.secrets.key and the API tokens. */}}
{{- define "tocsin.secretName" -}}
{{- default (include "tocsin.fullname" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{/*
Names of the secret settings of each channel (Notifier.secretSettings/isSecret in dispatcher-service); a name
ending in "." is a family (webhook headers, plugin environment). Such settings may only be given under
"secrets" or "secretRefs" of an integration, never under "settings" (which land in a ConfigMap).
*/}}
{{- define "tocsin.channelSecrets" -}}
webhook: [url, secret, header.]
pagerduty: [routingKey]
opsgenie: [apiKey]
splunk-oncall: [restEndpointUrl]
servicenow: [password, oauthToken]
slack: [webhookUrl]
discord: [webhookUrl]
teams: [workflowUrl]
telegram: [botToken]
email: [password]
snmp: [community, auth-password, priv-password]
plugin: [env.]
{{- end -}}

{{/* Environment variable carrying a secret value; call with (list "INTEGRATION" name setting). */}}
{{- define "tocsin.secretEnvName" -}}
{{- regexReplaceAll "[^A-Z0-9_]" (printf "SECRET_%s" (join "_" .) | upper) "_" -}}
{{- end -}}

{{/*
Validates the integrations and returns, as YAML, a list of {env, setting, integration, value | ref} for every
secret setting: value for the chart's Secret, ref {name, key} for an existing Secret.
*/}}
{{- define "tocsin.integrationSecrets" -}}
{{- $channels := include "tocsin.channelSecrets" . | fromYaml -}}
{{- $out := list -}}
{{- $envNames := dict -}}
{{- range $name, $i := .Values.dispatcher.integrations -}}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" $name) -}}
{{- fail (printf "dispatcher.integrations.%s: an integration name must be lower-case letters, digits and '-' (it names Secret keys)" $name) -}}
{{- end -}}
{{- if not (hasKey $channels (toString $i.service)) -}}
{{- fail (printf "dispatcher.integrations.%s.service: '%v' is not a channel (%s)" $name $i.service (keys $channels | sortAlpha | join ", ")) -}}
{{- end -}}
{{- $secretNames := get $channels $i.service -}}
{{- range $setting, $v := ($i.settings | default dict) -}}
{{- range $secretNames -}}
{{- if or (eq $setting .) (and (hasSuffix "." .) (hasPrefix . $setting)) -}}
{{- fail (printf "dispatcher.integrations.%s.settings.%s is a secret setting of the %s channel: give it under secrets or secretRefs, it must not land in a ConfigMap" $name $setting $i.service) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- range $setting, $v := ($i.secrets | default dict) -}}
{{- if hasKey ($i.secretRefs | default dict) $setting -}}
{{- fail (printf "dispatcher.integrations.%s: %s is given both under secrets and secretRefs" $name $setting) -}}
{{- end -}}
{{- $env := include "tocsin.secretEnvName" (list "INTEGRATION" $name $setting) -}}
{{- if hasKey $envNames $env -}}{{- fail (printf "dispatcher.integrations.%s.secrets.%s: its variable %s is already used; rename the integration" $name $setting $env) -}}{{- end -}}
{{- $_ := set $envNames $env true -}}
{{- $out = append $out (dict "env" $env "integration" $name "setting" $setting "key" (printf "integration.%s.%s" $name $setting) "value" (toString $v)) -}}
{{- end -}}
{{- range $setting, $ref := ($i.secretRefs | default dict) -}}
{{- if not (and $ref.name $ref.key) -}}
{{- fail (printf "dispatcher.integrations.%s.secretRefs.%s needs name and key of an existing Secret" $name $setting) -}}
{{- end -}}
{{- $env := include "tocsin.secretEnvName" (list "INTEGRATION" $name $setting) -}}
{{- if hasKey $envNames $env -}}{{- fail (printf "dispatcher.integrations.%s.secretRefs.%s: its variable %s is already used; rename the integration" $name $setting $env) -}}{{- end -}}
{{- $_ := set $envNames $env true -}}
{{- $out = append $out (dict "env" $env "integration" $name "setting" $setting "ref" $ref) -}}
{{- end -}}
{{- end -}}
{{- toYaml (dict "items" $out) -}}
{{- end -}}

{{/* Secret Kafka client properties, as YAML {items: [{env, property, value | ref}]}. */}}
{{- define "tocsin.kafkaSecrets" -}}
{{- $out := list -}}
{{- range $prop, $v := (.Values.kafka.secretProperties | default dict) -}}
{{- if hasKey ($.Values.kafka.existingSecretProperties | default dict) $prop -}}
{{- fail (printf "kafka: %s is given both under secretProperties and existingSecretProperties" $prop) -}}
{{- end -}}
{{- $out = append $out (dict "env" (include "tocsin.secretEnvName" (list "KAFKA" $prop)) "property" $prop "key" (printf "kafka.%s" $prop) "value" (toString $v)) -}}
{{- end -}}
{{- range $prop, $ref := (.Values.kafka.existingSecretProperties | default dict) -}}
{{- if not (and $ref.name $ref.key) -}}
{{- fail (printf "kafka.existingSecretProperties.%s needs name and key of an existing Secret" $prop) -}}
{{- end -}}
{{- $out = append $out (dict "env" (include "tocsin.secretEnvName" (list "KAFKA" $prop)) "property" $prop "ref" $ref) -}}
{{- end -}}
{{- toYaml (dict "items" $out) -}}
{{- end -}}

{{/* Whether the chart creates its own Secret (anything secret given as a value). */}}
{{- define "tocsin.hasOwnSecret" -}}
{{- $s := .Values.secrets -}}
{{- $own := and (not $s.existingSecret) (or $s.secretsKey $s.ingestToken $s.adminToken) -}}
{{- $integrations := (include "tocsin.integrationSecrets" . | fromYaml).items -}}
{{- $kafka := (include "tocsin.kafkaSecrets" . | fromYaml).items -}}
{{- range concat $integrations $kafka -}}{{- if hasKey . "value" -}}{{- $own = true -}}{{- end -}}{{- end -}}
{{- if $own -}}true{{- end -}}
{{- end -}}

{{/*
The Kafka and security part of every tocsin.yml, as a dict in YAML; secret Kafka properties are placeholders.
*/}}
{{- define "tocsin.commonConfig" -}}
{{- $k := .Values.kafka -}}
{{- $props := deepCopy ($k.properties | default dict) -}}
{{- range (include "tocsin.kafkaSecrets" . | fromYaml).items -}}
{{- $_ := set $props .property (printf "${%s}" .env) -}}
{{- end -}}
{{- $kafka := dict "bootstrap-servers" $k.bootstrapServers "topic-prefix" $k.topicPrefix "provision-topics" $k.provisionTopics "partitions" $k.partitions "replication-factor" $k.replicationFactor "startup-timeout" $k.startupTimeout -}}
{{- if $props -}}{{- $_ := set $kafka "properties" $props -}}{{- end -}}
{{- $tocsin := dict "kafka" $kafka -}}
{{- $security := dict -}}
{{- with .Values.secrets.ingestTokenSha256 -}}{{- $_ := set $security "ingest-token-sha256" . -}}{{- end -}}
{{- with .Values.secrets.adminTokenSha256 -}}{{- $_ := set $security "admin-token-sha256" . -}}{{- end -}}
{{- if $security -}}{{- $_ := set $tocsin "security" $security -}}{{- end -}}
{{- toYaml (dict "tocsin" $tocsin) -}}
{{- end -}}

{{/*
tocsin.yml of a workload: the common part, the workload's part (a dict "tocsin" tree), and the user's free-form
"config" (Micronaut YAML) merged over both. Call with (dict "root" $ "own" $dict "config" .Values.x.config).
*/}}
{{- define "tocsin.configFile" -}}
{{- $common := include "tocsin.commonConfig" .root | fromYaml -}}
{{- $merged := mustMergeOverwrite $common (.own | default dict) (deepCopy (.config | default dict)) -}}
{{- toYaml $merged -}}
{{- end -}}

{{/* Environment variables every Tocsin container gets; call with (dict "root" $ "port" 8082 "jvmOptions" "..." "secrets" (list "secretsKey" ...)). */}}
{{- define "tocsin.commonEnv" -}}
- name: MICRONAUT_CONFIG_FILES
  value: /etc/tocsin/config/tocsin.yml
- name: MICRONAUT_SERVER_PORT
  value: {{ .port | quote }}
- name: JAVA_TOOL_OPTIONS
  value: {{ .jvmOptions | quote }}
{{- $root := .root }}
{{- $s := $root.Values.secrets }}
{{- $envOf := dict "secretsKey" "TOCSIN_SECRETS_KEY" "ingestToken" "TOCSIN_SECURITY_INGEST_TOKEN" "adminToken" "TOCSIN_SECURITY_ADMIN_TOKEN" }}
{{- $keyOf := dict "secretsKey" "secrets-key" "ingestToken" "ingest-token" "adminToken" "admin-token" }}
{{- range .secrets }}
{{- if $s.existingSecret }}
{{- $key := get $s.existingSecretKeys . }}
{{- if $key }}
- name: {{ get $envOf . }}
  valueFrom:
    secretKeyRef:
      name: {{ $s.existingSecret }}
      key: {{ $key }}
{{- end }}
{{- else if get $s . }}
- name: {{ get $envOf . }}
  valueFrom:
    secretKeyRef:
      name: {{ include "tocsin.fullname" $root }}
      key: {{ get $keyOf . }}
{{- end }}
{{- end }}
{{- range (include "tocsin.kafkaSecrets" $root | fromYaml).items }}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      {{- if .ref }}
      name: {{ .ref.name }}
      key: {{ .ref.key }}
      {{- else }}
      name: {{ include "tocsin.fullname" $root }}
      key: {{ .key }}
      {{- end }}
{{- end }}
{{- end -}}

{{- define "tocsin.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
fsGroup: {{ .Values.securityContext.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "tocsin.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
Probes: Micronaut's /health/liveness holds only the liveness indicators, so a pod is not restarted while Kafka
is away; /health/readiness adds the readiness ones (Kafka reachable, Kafka Streams running), so a pod that
cannot work gets no traffic. The startup probe gives the JVM and the first Kafka contact time before liveness
counts. Call with (dict "root" $ "probes" .Values.rules.probes).
*/}}
{{- define "tocsin.probes" -}}
{{- $p := mustMergeOverwrite (deepCopy .root.Values.probes) (.probes | default dict) -}}
startupProbe:
  httpGet:
    path: /health/liveness
    port: http
  periodSeconds: {{ $p.startup.periodSeconds }}
  timeoutSeconds: {{ $p.startup.timeoutSeconds }}
  failureThreshold: {{ $p.startup.failureThreshold }}
livenessProbe:
  httpGet:
    path: /health/liveness
    port: http
  periodSeconds: {{ $p.liveness.periodSeconds }}
  timeoutSeconds: {{ $p.liveness.timeoutSeconds }}
  failureThreshold: {{ $p.liveness.failureThreshold }}
readinessProbe:
  httpGet:
    path: /health/readiness
    port: http
  periodSeconds: {{ $p.readiness.periodSeconds }}
  timeoutSeconds: {{ $p.readiness.timeoutSeconds }}
  failureThreshold: {{ $p.readiness.failureThreshold }}
{{- end -}}

{{/* Volumes every Tocsin pod has: its config file, a writable /tmp, and the Kafka TLS files when given. */}}
{{- define "tocsin.commonVolumes" -}}
- name: config
  configMap:
    name: {{ .configMap }}
- name: tmp
  emptyDir:
    sizeLimit: {{ .root.Values.tmpSizeLimit }}
{{- with .root.Values.kafka.tls.existingSecret }}
- name: kafka-tls
  secret:
    secretName: {{ . }}
{{- end }}
{{- end -}}

{{- define "tocsin.commonVolumeMounts" -}}
- name: config
  mountPath: /etc/tocsin/config
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- if .root.Values.kafka.tls.existingSecret }}
- name: kafka-tls
  mountPath: {{ .root.Values.kafka.tls.mountPath }}
  readOnly: true
{{- end }}
{{- end -}}

{{/* Scheduling and pod-level extras shared by the workloads; call with (dict "root" $ "v" .Values.rules). */}}
{{- define "tocsin.podExtras" -}}
{{- with (concat (.root.Values.imagePullSecrets | default list)) }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .v.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .v.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .v.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .v.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end -}}

{{/* The entries of a dict whose values are not empty, as YAML (an empty "tocsin.rules: {}" is left out of tocsin.yml). */}}
{{- define "tocsin.nonEmpty" -}}
{{- $out := dict -}}
{{- range $k, $v := . -}}{{- if $v -}}{{- $_ := set $out $k (deepCopy $v) -}}{{- end -}}{{- end -}}
{{- toYaml $out -}}
{{- end -}}
