import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import type { Manifest } from './replicas';

type Schema = Record<string, unknown>;

/**
 * A CRD's openAPIV3Schema made as strict as the API server with field validation Strict (kubectl's
 * default): an object that lists its properties and neither allows more (additionalProperties) nor
 * says x-kubernetes-preserve-unknown-fields takes no other field. (The x-kubernetes-validations CEL
 * rules are not evaluated here.)
 */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema as Schema)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Schema).map(([p, s]) => [p, strict(s)])) : strict(v);
  if (out['properties'] && !('additionalProperties' in out) && !out['x-kubernetes-preserve-unknown-fields']) out['additionalProperties'] = false;
  return out;
}

/** Validates manifests of the kind a CustomResourceDefinition file defines against its served version's schema. */
export function crdValidator(file: string): { kind: string; apiVersion: string; validate: (doc: unknown) => string[] } {
  type Crd = { spec: { group: string; names: { kind: string }; versions: Array<{ name: string; served: boolean; storage: boolean; schema: { openAPIV3Schema: Schema } }> } };
  const crd = parse(readFileSync(file, 'utf8')) as Crd;
  const version = crd.spec.versions.find((v) => v.served && v.storage);
  if (!version) throw new Error(`${file}: no served storage version`);
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  for (const format of ['int32', 'int64', 'date-time', 'byte']) ajv.addFormat(format, true);
  const check: ValidateFunction = ajv.compile(strict(version.schema.openAPIV3Schema) as Schema);
  const apiVersion = `${crd.spec.group}/${version.name}`;
  const kind = crd.spec.names.kind;
  return {
    kind,
    apiVersion,
    validate: (doc) => {
      const d = doc as Manifest;
      const problems = d.apiVersion === apiVersion && d.kind === kind ? [] : [`${d.kind} ${d.apiVersion}: expected ${kind} ${apiVersion}`];
      if (!check(doc)) {
        for (const e of check.errors ?? []) {
          const extra = (e.params as { additionalProperty?: string }).additionalProperty;
          problems.push(`${kind} ${d.metadata?.name}: ${e.instancePath || '/'} ${e.message}${extra ? ` '${extra}'` : ''}`);
        }
      }
      return problems;
    },
  };
}

/** A setting of a KEDA scaler, from its typed metadata struct's `keda:"name=..., order=..."` tag. */
export interface ScalerParam {
  name: string;
  /** Where KEDA reads it: triggerMetadata, authParams, resolvedEnv. */
  order: string[];
  optional: boolean;
  enum?: string[];
  deprecated: boolean;
}

/** The settings a scaler's source declares (pkg/scalers/<name>_scaler.go in KEDA's module). */
export function scalerParams(goSource: string): Map<string, ScalerParam> {
  const params = new Map<string, ScalerParam>();
  for (const [, tag] of goSource.matchAll(/`keda:"([^"]+)"`/g)) {
    const fields = new Map(
      tag.split(',').map((part) => {
        const [key, ...value] = part.trim().split('=');
        return [key.trim(), value.join('=').trim()] as const;
      }),
    );
    const name = fields.get('name');
    if (!name) continue;
    params.set(name, {
      name,
      order: (fields.get('order') ?? '').split(';').map((o) => o.trim()),
      optional: fields.has('optional') || fields.has('default'),
      enum: fields.get('enum')?.split(';').map((v) => v.trim()),
      deprecated: fields.has('deprecated'),
    });
  }
  return params;
}

/**
 * Every ScaledObject and TriggerAuthentication of a rendered release, checked against KEDA's own
 * types: the CRDs' schemas, and each trigger's metadata and its authentication's parameters
 * against the settings its scaler declares (unknown or deprecated names, missing required ones,
 * values outside an enum). References are followed: the scale target is a Deployment of the
 * release, the TriggerAuthentication exists, its Secret key is in a rendered Secret (when the chart
 * renders it) and its env names a variable of the target's container.
 */
export function kedaProblems(docs: Manifest[], kedaDir: string): string[] {
  const crds = ['keda.sh_scaledobjects.yaml', 'keda.sh_triggerauthentications.yaml'].map((f) => crdValidator(join(kedaDir, f)));
  const scalers = new Map(['kafka', 'cpu'].map((type) => [type, scalerParams(readFileSync(join(kedaDir, 'scalers', type === 'cpu' ? 'cpu_memory_scaler.go' : `${type}_scaler.go`), 'utf8'))]));
  const problems: string[] = [];
  for (const doc of docs) {
    const crd = crds.find((c) => c.kind === doc.kind);
    if (crd) problems.push(...crd.validate(doc));
  }
  type Trigger = { type: string; metadata: Record<string, string>; authenticationRef?: { name: string } };
  type AuthRef = { parameter: string; name: string; key?: string; containerName?: string };
  type Container = { name: string; env?: Array<{ name: string }> };
  for (const so of docs.filter((d) => d.kind === 'ScaledObject')) {
    const spec = so.spec as { scaleTargetRef: { name: string }; triggers: Trigger[] };
    const target = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === spec.scaleTargetRef?.name);
    if (!target) problems.push(`ScaledObject ${so.metadata.name}: scale target ${spec.scaleTargetRef?.name} is not a Deployment of the release`);
    const containers = (target?.spec as { template?: { spec?: { containers?: Container[] } } } | undefined)?.template?.spec?.containers ?? [];
    for (const trigger of spec.triggers ?? []) {
      const params = scalers.get(trigger.type);
      const where = `ScaledObject ${so.metadata.name} trigger ${trigger.type}`;
      if (!params) {
        problems.push(`${where}: no scaler source to check it against`);
        continue;
      }
      for (const [key, value] of Object.entries(trigger.metadata ?? {})) {
        const p = params.get(key);
        if (!p || !p.order.includes('triggerMetadata')) problems.push(`${where}: metadata '${key}' is not a setting of KEDA's ${trigger.type} scaler`);
        else if (p.deprecated) problems.push(`${where}: metadata '${key}' is deprecated`);
        else if (p.enum && !p.enum.includes(String(value))) problems.push(`${where}: metadata ${key}=${value} is not one of ${p.enum.join(', ')}`);
      }
      const auth = trigger.authenticationRef ? docs.find((d) => d.kind === 'TriggerAuthentication' && d.metadata.name === trigger.authenticationRef?.name) : undefined;
      if (trigger.authenticationRef && !auth) problems.push(`${where}: TriggerAuthentication ${trigger.authenticationRef.name} is not in the release`);
      const authSpec = (auth?.spec ?? {}) as { secretTargetRef?: AuthRef[]; env?: AuthRef[] };
      const authParams = [...(authSpec.secretTargetRef ?? []), ...(authSpec.env ?? [])].map((r) => r.parameter);
      for (const p of params.values()) {
        const given = p.name in (trigger.metadata ?? {}) || (p.order.includes('authParams') && authParams.includes(p.name));
        if (!p.optional && !given) problems.push(`${where}: '${p.name}' is required`);
      }
      for (const ref of authSpec.secretTargetRef ?? []) {
        if (!params.get(ref.parameter)?.order.includes('authParams')) problems.push(`TriggerAuthentication ${auth?.metadata.name}: '${ref.parameter}' is not an authentication parameter of KEDA's ${trigger.type} scaler`);
        const secret = docs.find((d) => d.kind === 'Secret' && d.metadata.name === ref.name);
        if (secret && !((ref.key ?? '') in (secret.stringData ?? secret.data ?? {}))) problems.push(`TriggerAuthentication ${auth?.metadata.name}: Secret ${ref.name} has no key ${ref.key}`);
      }
      for (const ref of authSpec.env ?? []) {
        if (!params.get(ref.parameter)?.order.includes('authParams')) problems.push(`TriggerAuthentication ${auth?.metadata.name}: '${ref.parameter}' is not an authentication parameter of KEDA's ${trigger.type} scaler`);
        const container = containers.find((c) => c.name === ref.containerName) ?? (ref.containerName ? undefined : containers[0]);
        if (!container?.env?.some((e) => e.name === ref.name)) problems.push(`TriggerAuthentication ${auth?.metadata.name}: container ${ref.containerName ?? '(first)'} of ${spec.scaleTargetRef?.name} has no env ${ref.name}`);
      }
    }
  }
  return problems;
}
