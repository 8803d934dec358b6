{{/*
Named templates. The ones marked "public" are for your own chart in the
sidecar modes, with this chart as a dependency; call them with a context
holding this chart's values, the release and the capabilities:

  {{- $bc := dict "Values" .Values.backchannel "Release" .Release "Capabilities" .Capabilities }}
  containers:
    - name: app
      …
    {{- include "backchannel.container" $bc | nindent 4 }}
  volumes:
    {{- include "backchannel.volumes" $bc | nindent 4 }}

Inside this chart they are called with the root context, which has the same keys.
*/}}

{{- define "backchannel.name" -}}
{{- default "backchannel" .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's object names; the ConfigMap's name too, so it needs no .Chart. */}}
{{- define "backchannel.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := include "backchannel.name" . }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "backchannel.configMapName" -}}
{{- printf "%s-config" (include "backchannel.fullname" . | trunc 56 | trimSuffix "-") }}
{{- end }}

{{- define "backchannel.selectorLabels" -}}
app.kubernetes.io/name: {{ include "backchannel.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "backchannel.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "backchannel.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | quote }}
app.kubernetes.io/component: {{ .Values.mode | kebabcase }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Where the Redis Secrets are mounted (sharedHistory), each holding one key. */}}
{{- define "backchannel.redisPasswordDir" -}}/var/run/secrets/redis{{- end }}
{{- define "backchannel.redisTlsDir" -}}/var/run/secrets/redis-tls{{- end }}

{{/*
The config's sharedHistory section from the sharedHistory values: the
Secrets as files where the container mounts them; the tunables only when
set, so the sidecar's defaults apply otherwise.
*/}}
{{- define "backchannel.sharedHistorySection" -}}
{{- $s := .Values.sharedHistory }}
{{- $section := dict "url" $s.url }}
{{- with $s.username }}
{{- $_ := set $section "username" . }}
{{- end }}
{{- if $s.passwordSecret.name }}
{{- $_ := set $section "password" (dict "file" (printf "%s/%s" (include "backchannel.redisPasswordDir" .) $s.passwordSecret.key)) }}
{{- end }}
{{- if $s.tlsCaSecret.name }}
{{- $_ := set $section "tlsCaFile" (printf "%s/%s" (include "backchannel.redisTlsDir" .) $s.tlsCaSecret.key) }}
{{- end }}
{{- range list "keyPrefix" "leaseTtlMs" "maxLen" "commandTimeoutMs" }}
{{- if not (kindIs "invalid" (index $s .)) }}
{{- $_ := set $section . (index $s .) }}
{{- end }}
{{- end }}
{{- toYaml $section }}
{{- end }}

{{/* The config file's text, as the ConfigMap holds it: `config`, plus the sharedHistory section when enabled. */}}
{{- define "backchannel.configText" -}}
{{- $config := deepCopy .Values.config }}
{{- if .Values.sharedHistory.enabled }}
{{- $_ := set $config "sharedHistory" (include "backchannel.sharedHistorySection" . | fromYaml) }}
{{- end }}
{{- toYaml $config }}
{{- end }}

{{/* public: a checksum of the config, for a pod annotation (a changed config restarts the pods). */}}
{{- define "backchannel.configChecksum" -}}
{{- include "backchannel.configText" . | sha256sum }}
{{- end }}

{{- define "backchannel.isLoopback" -}}
{{- if regexMatch "^(127\\.[0-9.]+|localhost|::1)$" (toString .Values.host) }}true{{ end }}
{{- end }}

{{/*
Checks the schema cannot express, with messages that say what to do.
Included by the ConfigMap and the container templates, so they run in every mode,
also when a user's chart includes the container.
*/}}
{{- define "backchannel.validate" -}}
{{- $v := .Values }}
{{- if and (not (include "backchannel.isLoopback" .)) (not $v.apiToken.existingSecret) }}
{{- fail (printf "apiToken.existingSecret is required: host %s is not a loopback address, so the sidecar requires a bearer token (create a Secret with the token and name it here)" (toString $v.host)) }}
{{- end }}
{{- if include "backchannel.isLoopback" . }}
{{- if eq $v.mode "standalone" }}
{{- fail (printf "host %s is a loopback address: mode standalone needs host 0.0.0.0 (its Service reaches the pod IP)" (toString $v.host)) }}
{{- end }}
{{- if or $v.livenessProbe.enabled $v.readinessProbe.enabled $v.startupProbe.enabled }}
{{- fail (printf "host %s is a loopback address, which the kubelet's probes cannot reach: use host 0.0.0.0 with an apiToken, or turn the probes off" (toString $v.host)) }}
{{- end }}
{{- end }}
{{- if not $v.config.upstreams }}
{{- fail "config.upstreams is required: the sidecar's config file needs at least one upstream (see docs/configuration.md)" }}
{{- end }}
{{- $budget := div (add (int $v.shutdownGraceMs) 2999) 1000 }}
{{- if and (not (kindIs "invalid" $v.terminationGracePeriodSeconds)) (lt (int $v.terminationGracePeriodSeconds) (int $budget)) }}
{{- fail (printf "terminationGracePeriodSeconds %d is shorter than the drain: shutdownGraceMs %d plus the sidecar's 2 s exit margin needs at least %d" (int $v.terminationGracePeriodSeconds) (int $v.shutdownGraceMs) (int $budget)) }}
{{- end }}
{{- if $v.state.enabled }}
{{- range $v.env }}
{{- if has .name (list "STATE_DIR" "STATE_SYNC" "STATE_MAX_BYTES") }}
{{- fail (printf "env %s is set by the chart when state.enabled is true: use state.mountPath, state.sync and state.maxBytes" .name) }}
{{- end }}
{{- end }}
{{- if and $v.state.existingClaim (eq $v.mode "standalone") (gt (int $v.replicaCount) 1) }}
{{- fail (printf "state.existingClaim %s with replicaCount %d: every replica would mount the same claim, and two sidecars cannot share one store; use one replica, an emptyDir, or your own StatefulSet in mode sidecar" $v.state.existingClaim (int $v.replicaCount)) }}
{{- end }}
{{- end }}
{{- $shared := $v.sharedHistory }}
{{- if $shared.enabled }}
{{- if not $shared.url }}
{{- fail "sharedHistory.url is required when sharedHistory.enabled is true: redis://host:port or rediss://host:port (TLS)" }}
{{- end }}
{{- if hasKey $v.config "sharedHistory" }}
{{- fail "config.sharedHistory is rendered by the chart when sharedHistory.enabled is true: set the sharedHistory values instead (the Secrets are mounted as files for it)" }}
{{- end }}
{{- if and $shared.tlsCaSecret.name (not (hasPrefix "rediss://" $shared.url)) }}
{{- fail (printf "sharedHistory.tlsCaSecret is set but sharedHistory.url %s is not rediss://: the CA is only used with TLS" $shared.url) }}
{{- end }}
{{- $ttl := int (default 3000 $shared.leaseTtlMs) }}
{{- $timeout := int (default 500 $shared.commandTimeoutMs) }}
{{- if ge (mul $timeout 3) $ttl }}
{{- fail (printf "sharedHistory.commandTimeoutMs %d must be under leaseTtlMs / 3 (leaseTtlMs %d): a lease renewal must be able to fail and be retried before the lease runs out" $timeout $ttl) }}
{{- end }}
{{- range $v.env }}
{{- if eq .name "POD_NAME" }}
{{- fail "env POD_NAME is set by the chart when sharedHistory.enabled is true: it is the replica's id, the pod's name" }}
{{- end }}
{{- end }}
{{- end }}
{{- if and $v.serviceMonitor.enabled (ne $v.mode "standalone") }}
{{- fail "serviceMonitor.enabled needs mode standalone: the ServiceMonitor selects the chart's Service" }}
{{- end }}
{{- if and $v.podDisruptionBudget.enabled (ne $v.mode "standalone") }}
{{- fail "podDisruptionBudget.enabled needs mode standalone: in sidecar modes the PodDisruptionBudget belongs to your workload" }}
{{- end }}
{{- if and (eq $v.mode "nativeSidecar") .Capabilities }}
{{- if not (semverCompare ">=1.28.0-0" .Capabilities.KubeVersion.Version) }}
{{- fail (printf "mode nativeSidecar needs Kubernetes 1.28 or later (init containers with restartPolicy: Always), this cluster is %s: use mode sidecar" .Capabilities.KubeVersion.Version) }}
{{- end }}
{{- end }}
{{- end }}

{{/* public: the pod's terminationGracePeriodSeconds: the drain budget rounded up, plus 5 s. */}}
{{- define "backchannel.terminationGracePeriodSeconds" -}}
{{- if kindIs "invalid" .Values.terminationGracePeriodSeconds }}
{{- add (div (add (int .Values.shutdownGraceMs) 999) 1000) 5 }}
{{- else }}
{{- int .Values.terminationGracePeriodSeconds }}
{{- end }}
{{- end }}

{{- define "backchannel.httpProbe" -}}
{{- $probe := index .Values .name -}}
httpGet:
  path: {{ .path }}
  port: backchannel
periodSeconds: {{ $probe.periodSeconds }}
timeoutSeconds: {{ $probe.timeoutSeconds }}
failureThreshold: {{ $probe.failureThreshold }}
{{- with $probe.initialDelaySeconds }}
initialDelaySeconds: {{ . }}
{{- end }}
{{- end }}

{{/*
public: the sidecar container, as one list item for `containers:` (mode
sidecar) or `initContainers:` (mode nativeSidecar, where it carries
restartPolicy: Always).
*/}}
{{- define "backchannel.container" -}}
{{- include "backchannel.validate" . }}
{{- $v := .Values -}}
- name: {{ $v.containerName }}
  image: {{ printf "%s:%s" $v.image.repository (toString $v.image.tag) | quote }}
  imagePullPolicy: {{ $v.image.pullPolicy }}
  {{- if eq $v.mode "nativeSidecar" }}
  restartPolicy: Always
  {{- end }}
  {{- with $v.command }}
  command:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.args }}
  args:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  env:
    - name: HOST
      value: {{ toString $v.host | quote }}
    - name: PORT
      value: {{ toString $v.port | quote }}
    - name: LOG_LEVEL
      value: {{ $v.logLevel | quote }}
    - name: CONFIG_FILE
      value: /etc/backchannel/config.yaml
    {{- if $v.apiToken.existingSecret }}
    - name: API_TOKEN_FILE
      value: {{ printf "/var/run/secrets/backchannel/api-token/%s" $v.apiToken.key | quote }}
    {{- end }}
    - name: READY_GRACE_MS
      value: {{ toString (int $v.readyGraceMs) | quote }}
    - name: SHUTDOWN_GRACE_MS
      value: {{ toString (int $v.shutdownGraceMs) | quote }}
    {{- if $v.state.enabled }}
    - name: STATE_DIR
      value: {{ $v.state.mountPath | quote }}
    - name: STATE_SYNC
      value: {{ $v.state.sync | quote }}
    {{- if not (kindIs "invalid" $v.state.maxBytes) }}
    - name: STATE_MAX_BYTES
      value: {{ printf "%d" (int64 $v.state.maxBytes) | quote }}
    {{- end }}
    {{- end }}
    {{- if $v.sharedHistory.enabled }}
    - name: POD_NAME
      valueFrom:
        fieldRef:
          fieldPath: metadata.name
    {{- end }}
    {{- with $v.env }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  ports:
    - name: backchannel
      containerPort: {{ $v.port }}
      protocol: TCP
  {{- if $v.startupProbe.enabled }}
  startupProbe:
    {{- include "backchannel.httpProbe" (dict "Values" $v "name" "startupProbe" "path" "/livez") | nindent 4 }}
  {{- end }}
  {{- if $v.livenessProbe.enabled }}
  livenessProbe:
    {{- include "backchannel.httpProbe" (dict "Values" $v "name" "livenessProbe" "path" "/livez") | nindent 4 }}
  {{- end }}
  {{- if $v.readinessProbe.enabled }}
  readinessProbe:
    {{- include "backchannel.httpProbe" (dict "Values" $v "name" "readinessProbe" "path" "/readyz") | nindent 4 }}
  {{- end }}
  {{- with $v.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml $v.securityContext | nindent 4 }}
  volumeMounts:
    - name: backchannel-config
      mountPath: /etc/backchannel
      readOnly: true
    - name: backchannel-tmp
      mountPath: /tmp
    {{- if $v.state.enabled }}
    - name: backchannel-state
      mountPath: {{ $v.state.mountPath | quote }}
    {{- end }}
    {{- if $v.apiToken.existingSecret }}
    - name: backchannel-api-token
      mountPath: /var/run/secrets/backchannel/api-token
      readOnly: true
    {{- end }}
    {{- range $v.secrets }}
    - name: {{ printf "backchannel-secret-%s" .name }}
      mountPath: {{ printf "/var/run/secrets/backchannel/%s" .name }}
      readOnly: true
    {{- end }}
    {{- if and $v.sharedHistory.enabled $v.sharedHistory.passwordSecret.name }}
    - name: backchannel-redis-password
      mountPath: {{ include "backchannel.redisPasswordDir" . }}
      readOnly: true
    {{- end }}
    {{- if and $v.sharedHistory.enabled $v.sharedHistory.tlsCaSecret.name }}
    - name: backchannel-redis-tls
      mountPath: {{ include "backchannel.redisTlsDir" . }}
      readOnly: true
    {{- end }}
{{- end }}

{{/* public: the volumes the container mounts, as list items for the pod's `volumes:`. */}}
{{- define "backchannel.volumes" -}}
{{- $v := .Values -}}
- name: backchannel-config
  configMap:
    name: {{ include "backchannel.configMapName" . }}
    items:
      - key: config.yaml
        path: config.yaml
- name: backchannel-tmp
  emptyDir:
    sizeLimit: 64Mi
{{- if $v.state.enabled }}
- name: backchannel-state
  {{- if $v.state.existingClaim }}
  persistentVolumeClaim:
    claimName: {{ $v.state.existingClaim }}
  {{- else }}
  emptyDir:
    sizeLimit: {{ $v.state.sizeLimit }}
  {{- end }}
{{- end }}
{{- if $v.apiToken.existingSecret }}
- name: backchannel-api-token
  secret:
    secretName: {{ $v.apiToken.existingSecret }}
    items:
      - key: {{ $v.apiToken.key }}
        path: {{ $v.apiToken.key }}
{{- end }}
{{- range $v.secrets }}
- name: {{ printf "backchannel-secret-%s" .name }}
  secret:
    secretName: {{ .secretName }}
    {{- with .items }}
    items:
      {{- toYaml . | nindent 6 }}
    {{- end }}
{{- end }}
{{- if $v.sharedHistory.enabled }}
{{- with $v.sharedHistory.passwordSecret }}
{{- if .name }}
- name: backchannel-redis-password
  secret:
    secretName: {{ .name }}
    items:
      - key: {{ .key }}
        path: {{ .key }}
{{- end }}
{{- end }}
{{- with $v.sharedHistory.tlsCaSecret }}
{{- if .name }}
- name: backchannel-redis-tls
  secret:
    secretName: {{ .name }}
    items:
      - key: {{ .key }}
        path: {{ .key }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
