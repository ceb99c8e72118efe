import { readFileSync } from 'node:fs';
import { TOPOLOGY, type ServiceName } from '@shop/contracts';
import { parseAllDocuments } from 'yaml';

/** A rendered manifest, as far as these checks read it. */
export type Manifest = { apiVersion?: string; kind: string; metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; data?: Record<string, string>; stringData?: Record<string, string>; spec?: Record<string, unknown> };

/**
 * The most pods each service's Deployment (`<release>-shop-<service>`, here `shop-<service>`) can
 * have in a rendered release: its autoscaler's maximum (the HorizontalPodAutoscaler's maxReplicas
 * or KEDA's ScaledObject's maxReplicaCount), else the Deployment's replicas.
 */
export function maxReplicas(docs: Manifest[], service: string): { max: number; by: string } | undefined {
  const name = `shop-${service}`;
  const deployment = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === name);
  if (!deployment) return undefined;
  const targets = (d: Manifest) => (d.spec?.['scaleTargetRef'] as { name?: string } | undefined)?.name === name;
  const hpa = docs.find((d) => d.kind === 'HorizontalPodAutoscaler' && targets(d));
  const scaled = docs.find((d) => d.kind === 'ScaledObject' && targets(d));
  if (hpa && scaled) throw new Error(`${name} has both a HorizontalPodAutoscaler and a ScaledObject: they would fight over its replicas`);
  if (hpa) return { max: Number(hpa.spec?.['maxReplicas']), by: `HorizontalPodAutoscaler ${hpa.metadata.name} maxReplicas` };
  if (scaled) return { max: Number(scaled.spec?.['maxReplicaCount']), by: `ScaledObject ${scaled.metadata.name} maxReplicaCount` };
  return { max: Number(deployment.spec?.['replicas'] ?? 1), by: `Deployment ${name} replicas` };
}

/** The topics a service consumes, from the contracts' TOPOLOGY. */
export function consumedTopics(service: ServiceName): string[] {
  return [...new Set(TOPOLOGY[service].receives.map((m) => m.topic))].sort();
}

/**
 * What a rendered release would waste: a service with more replicas than a topic it consumes has
 * partitions (Kafka gives each member of the service's consumer group its own partitions of each
 * topic: the replicas beyond them get none of that topic). One line per service and topic.
 */
export function replicaPartitionProblems(docs: Manifest[], partitions: (topic: string) => number | undefined): string[] {
  const problems: string[] = [];
  for (const service of Object.keys(TOPOLOGY) as ServiceName[]) {
    const replicas = maxReplicas(docs, service);
    if (!replicas) continue;
    for (const topic of consumedTopics(service)) {
      const count = partitions(topic);
      if (count === undefined) problems.push(`${service}: consumes ${topic}, which the topic definitions do not have`);
      else if (replicas.max > count) problems.push(`${service}: up to ${replicas.max} replicas (${replicas.by}), but ${topic} has ${count} partitions: ${replicas.max - count} would idle`);
    }
  }
  return problems;
}

/** Each topic's partitions in a file of Strimzi KafkaTopics (spec.topicName -> spec.partitions). */
export function strimziPartitions(file: string): Map<string, number> {
  type Topic = { kind: string; spec: { topicName: string; partitions: number } };
  const topics = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJSON() as Topic).filter((r) => r?.kind === 'KafkaTopic');
  return new Map(topics.map((t) => [t.spec.topicName, t.spec.partitions]));
}

/**
 * The partitions a topic gets when the services create it (libs/messaging ensureTopics: the
 * default of its `partitions` parameter, which the services' start-up and the local infra use).
 */
export function createdTopicPartitions(topicsSource: string): number {
  const found = /export async function ensureTopics\([^)]*\bpartitions = (\d+)\)/.exec(readFileSync(topicsSource, 'utf8'));
  if (!found) throw new Error(`${topicsSource}: no ensureTopics(..., partitions = <n>) default found; update this check to where the default partition count now lives`);
  return Number(found[1]);
}
