{{/*
The pod template of a Tocsin service. Call with (dict
  "root" $                   the chart's root context
  "component" "rules"        app.kubernetes.io/component, and the container's name
  "v" .Values.rules          the workload's values (image, port, jvmOptions, resources, probes, extraEnv, ...)
  "configMap" "<name>"       the ConfigMap holding its tocsin.yml
  "secrets" (list ...)       which of secretsKey, ingestToken, adminToken it gets
  "env" "<yaml list>"        environment variables of its own
  "volumes" "<yaml list>"    volumes of its own
  "mounts" "<yaml list>"     their mounts
  "checksum" "<text>"        content whose change must roll the pods (its config)
)
*/}}
{{- define "tocsin.podTemplate" -}}
{{- $root := .root -}}
metadata:
  labels:
    {{- include "tocsin.labels" (dict "root" $root "component" .component) | nindent 4 }}
  annotations:
    checksum/config: {{ .checksum | sha256sum }}
    {{- with $root.Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    {{- with .v.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "tocsin.serviceAccountName" $root }}
  automountServiceAccountToken: false
  securityContext:
    {{- include "tocsin.podSecurityContext" $root | nindent 4 }}
  {{- with (include "tocsin.podExtras" (dict "root" $root "v" .v) | trim) }}
  {{- . | nindent 2 }}
  {{- end }}
  terminationGracePeriodSeconds: {{ .v.terminationGracePeriodSeconds | default 30 }}
  containers:
    - name: {{ .component }}
      image: {{ include "tocsin.image" (dict "root" $root "image" .v.image) | quote }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      ports:
        - name: http
          containerPort: {{ .v.port }}
          protocol: TCP
      env:
        {{- include "tocsin.commonEnv" (dict "root" $root "port" .v.port "jvmOptions" .v.jvmOptions "secrets" .secrets) | nindent 8 }}
        {{- with .env }}
        {{- . | nindent 8 }}
        {{- end }}
        {{- with .v.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- include "tocsin.probes" (dict "root" $root "probes" .v.probes) | nindent 6 }}
      resources:
        {{- toYaml .v.resources | nindent 8 }}
      securityContext:
        {{- include "tocsin.containerSecurityContext" $root | nindent 8 }}
      volumeMounts:
        {{- include "tocsin.commonVolumeMounts" (dict "root" $root) | nindent 8 }}
        {{- with .mounts }}
        {{- . | nindent 8 }}
        {{- end }}
        {{- with .v.extraVolumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    {{- include "tocsin.commonVolumes" (dict "root" $root "configMap" .configMap) | nindent 4 }}
    {{- with .volumes }}
    {{- . | nindent 4 }}
    {{- end }}
    {{- with .v.extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/* A Deployment of a Tocsin service; the parameters of tocsin.podTemplate, plus "hpa" (autoscaling values or nil). */}}
{{- define "tocsin.deployment" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "tocsin.fullname" .root }}-{{ .component }}
  labels:
    {{- include "tocsin.labels" (dict "root" .root "component" .component) | nindent 4 }}
spec:
  {{- if not (and .hpa .hpa.enabled) }}
  replicas: {{ .v.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "tocsin.selectorLabels" (dict "root" .root "component" .component) | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
  template:
    {{- include "tocsin.podTemplate" . | nindent 4 }}
{{- end -}}
