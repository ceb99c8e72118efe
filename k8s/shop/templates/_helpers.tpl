{{/* Names and labels shared by every template. */}}
{{- define "shop.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "shop.labels" -}}
app.kubernetes.io/part-of: shop
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one service: call with (dict "root" $ "name" "order"). */}}
{{- define "shop.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "shop.image" -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end -}}

{{- define "shop.secretName" -}}
{{- default (printf "%s-secrets" (include "shop.fullname" .)) .Values.database.existingSecret -}}
{{- end -}}

{{/* The environment every container of a service gets (config map + secret). */}}
{{- define "shop.envFrom" -}}
- configMapRef:
    name: {{ include "shop.fullname" .root }}-{{ .name }}
{{- end -}}

{{/* <service>-kafka-password: <password> for each service, from kafka.sasl.passwords. */}}
{{- define "shop.kafkaPasswords" -}}
{{- range $name, $svc := .Values.services }}
{{ $name }}-kafka-password: {{ index $.Values.kafka.sasl.passwords $name | required (printf "kafka.sasl.passwords.%s is required (or set kafka.sasl.existingSecret)" $name) | quote }}
{{- end }}
{{- if .Values.console.enabled }}
console-kafka-password: {{ .Values.kafka.sasl.passwords.console | required "kafka.sasl.passwords.console is required when console.enabled (or set kafka.sasl.existingSecret with a console-kafka-password key)" | quote }}
{{- end }}
{{- if .Values.analytics.enabled }}
analytics-kafka-password: {{ .Values.kafka.sasl.passwords.analytics | required "kafka.sasl.passwords.analytics is required when analytics.enabled (or set kafka.sasl.existingSecret with an analytics-kafka-password key)" | quote }}
{{- end }}
{{- end -}}

{{/* The Secret holding each service's Kafka password (key <service>-kafka-password). */}}
{{- define "shop.kafkaSecretName" -}}
{{- default (printf "%s-kafka" (include "shop.fullname" .)) .Values.kafka.sasl.existingSecret -}}
{{- end -}}

{{/* A service's own Kafka user, its password from a Secret: call with (dict "root" $ "name" "order" "secret" <name>). */}}
{{- define "shop.kafkaEnv" -}}
- name: KAFKA_SASL_USERNAME
  value: {{ .name | quote }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .name }}-kafka-password
{{- end -}}

{{- define "shop.secretEnv" -}}
{{ include "shop.kafkaEnv" (dict "root" .root "name" .name "secret" (include "shop.kafkaSecretName" .root)) }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "shop.secretName" .root }}
      key: {{ .name }}-database-url
{{- if eq .name "notification" }}
- name: SMTP_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "shop.secretName" .root }}
      key: smtp-password
      optional: true
{{- end }}
{{- end -}}

{{/* The schema registry's Confluent-compatible API the services use: schemaRegistry.url, else the in-cluster one's, else empty (no registry). */}}
{{- define "shop.schemaRegistryUrl" -}}
{{- if .Values.schemaRegistry.url -}}
{{ .Values.schemaRegistry.url }}
{{- else if .Values.schemaRegistry.inCluster.enabled -}}
http://{{ include "shop.fullname" . }}-schema-registry:8080/apis/ccompat/v7
{{- end -}}
{{- end -}}

{{/* The ServiceAccount a service's pods run as: call with (dict "root" $ "name" "order"). */}}
{{- define "shop.serviceAccountName" -}}
{{- if .root.Values.serviceAccounts.create -}}
{{ include "shop.fullname" .root }}-{{ .name }}
{{- else -}}
default
{{- end -}}
{{- end -}}

{{/* The autoscaling of a service: its own block, else defaults.autoscaling. */}}
{{- define "shop.autoscaling" -}}
{{- toYaml (default .root.Values.defaults.autoscaling (index .root.Values.services .name).autoscaling) -}}
{{- end -}}

{{/* The base URL of every enabled service, space-separated (the helm test waits for each to be ready). */}}
{{- define "shop.readyUrls" -}}
{{- range $name, $svc := .Values.services }}{{ if $svc.enabled }}http://{{ include "shop.fullname" $ }}-{{ $name }}:{{ $svc.port }} {{ end }}{{ end }}
{{- end -}}

{{/* A service's database URL (the Secrets the chart writes): its own role and database, and database.sslMode (with tls.caSecret's CA as sslrootcert). Call with (dict "root" $ "name" "order"). */}}
{{- define "shop.databaseUrl" -}}
{{- $v := .root.Values.database -}}
{{- $password := index $v.passwords .name | required (printf "database.passwords.%s is required (or set database.existingSecret)" .name) -}}
{{- $ssl := printf "sslmode=%s" $v.sslMode -}}
{{- if and (eq $v.sslMode "verify-full") .root.Values.tls.caSecret }}{{ $ssl = printf "%s&sslrootcert=%s" $ssl (include "shop.caFile" .root) }}{{ end -}}
{{ printf "postgres://shop_%s:%s@%s:%v/shop_%s?%s" .name ($password | urlquery) $v.host $v.port .name $ssl }}
{{- end -}}

{{/* Where the CA bundle of tls.caSecret is mounted in every container of the chart. */}}
{{- define "shop.caFile" -}}/etc/shop/tls/ca.crt{{- end -}}

{{/* The pod's volume with tls.caSecret's ca.crt (nothing without it). */}}
{{- define "shop.tlsVolumes" -}}
{{- if .Values.tls.caSecret }}
- name: tls-ca
  secret:
    secretName: {{ .Values.tls.caSecret | quote }}
    items:
      - key: ca.crt
        path: ca.crt
{{- end }}
{{- end -}}

{{/* A container's mount of that volume, read-only, at /etc/shop/tls (nothing without tls.caSecret). */}}
{{- define "shop.tlsVolumeMounts" -}}
{{- if .Values.tls.caSecret }}
- name: tls-ca
  mountPath: /etc/shop/tls
  readOnly: true
{{- end }}
{{- end -}}
