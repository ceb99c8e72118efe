import { ALL_TOPICS, COMPACTED_TOPICS, TOPOLOGY, type ServiceName } from '@shop/contracts';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type AclEntry, type Admin } from 'kafkajs';
import { deadLetterTopic, originOfDeadLetterTopic, type TopicLayout, type TopicSpec } from './topics';

/**
 * What one service's Kafka principal (`User:<service>`) may do, derived from libs/contracts'
 * TOPOLOGY (the one declaration of who sends and who receives each message, checked against the
 * running services by apps/shop-e2e): write the topics of the messages it sends and the DLQ of
 * each topic it reads (its consumer dead-letters there), read the topics it receives from with
 * its own group (MessageConsumer's group is the service name). Nothing else: no CREATE (the
 * topics are created by the admin, see kafkaTopics), no other group, no cluster operation.
 */
export interface KafkaAccess {
  principal: string;
  group: string;
  /** The group ACL names every group starting with `group` (PREFIXED) rather than that one group. */
  groupIsPrefix?: boolean;
  reads: string[];
  writes: string[];
  /**
   * A stream processor's state (TOPOLOGY's `state`): the compacted topics it writes in Kafka
   * transactions and reads back at start with throwaway groups named `<groupPrefix><uuid>`, and
   * the transactional id its producer uses (one active instance: a newer one fences an older).
   */
  state?: { topics: string[]; groupPrefix: string; transactionalId: string };
}

export const SERVICE_NAMES = Object.keys(TOPOLOGY) as ServiceName[];

export const isServiceName = (name: string): name is ServiceName => (SERVICE_NAMES as string[]).includes(name);

export function kafkaAccess(service: ServiceName): KafkaAccess {
  const { sends, receives, state } = TOPOLOGY[service];
  const reads = unique(receives.map((m) => m.topic));
  const access: KafkaAccess = { principal: `User:${service}`, group: service, reads, writes: unique([...sends.map((m) => m.topic), ...reads.map(deadLetterTopic)]) };
  return state ? { ...access, state: stateAccess(service, state.map((m) => m.topic)) } : access;
}

/** A stream processor's state topics, its restore groups' prefix (`<service>-state-`) and its transactional id (the service name). */
export function stateAccess(service: string, topics: string[]): NonNullable<KafkaAccess['state']> {
  return { topics: unique(topics), groupPrefix: `${service}-state-`, transactionalId: service };
}

/** The ops console's Kafka principal: `User:console`. */
export const CONSOLE_PRINCIPAL = 'console';

/**
 * What the ops console (apps/console) may do: read every DLQ a consumer writes to, with groups of
 * its own prefix (`console-`: each read of a DLQ is a fresh group that commits nothing), and write
 * the topics those DLQs belong to (derived from each DLQ's name, as a replay's destination is),
 * to replay a dead letter where it failed. Nothing else: it
 * cannot read the live topics nor write a DLQ; the lag and backlog it shows come from the
 * services' /metrics.
 */
export function consoleKafkaAccess(): KafkaAccess {
  const dlqs = unique(SERVICE_NAMES.flatMap((service) => kafkaAccess(service).reads.map(deadLetterTopic)));
  const origins = dlqs.flatMap((dlq) => originOfDeadLetterTopic(dlq) ?? []);
  return { principal: `User:${CONSOLE_PRINCIPAL}`, group: `${CONSOLE_PRINCIPAL}-`, groupIsPrefix: true, reads: dlqs, writes: unique(origins) };
}

/** Every principal whose ACLs applyKafkaAcls manages: the services and the console. */
export function kafkaAccessList(): KafkaAccess[] {
  return [...SERVICE_NAMES.map(kafkaAccess), consoleKafkaAccess()];
}

/**
 * Every contract topic and its DLQ, with its config: what the admin creates before the services
 * start; laid out for a cluster when a layout is given (else ensureTopics' and the brokers' defaults).
 */
export function kafkaTopics(layout?: TopicLayout): TopicSpec[] {
  return ALL_TOPICS.flatMap((topic) => [{ topic, compacted: COMPACTED_TOPICS.includes(topic), ...layout }, { topic: deadLetterTopic(topic), ...layout }]);
}

/**
 * The ACLs of one principal. WRITE and READ imply DESCRIBE (metadata, offsets, consumer lag); READ
 * on the group covers joining it, committing and fetching its offsets. The idempotent producers
 * need no IDEMPOTENT_WRITE on the cluster: since Kafka 3.0 WRITE on a topic is enough (KIP-679).
 * A stream processor adds READ on its state topics, READ on its restore groups (by prefix) and
 * WRITE and DESCRIBE on its transactional id (a transactional producer's InitProducerId,
 * AddPartitionsToTxn, AddOffsetsToTxn and EndTxn; the offsets it commits in a transaction need
 * READ on its group, which it has).
 */
export function kafkaAcls(access: KafkaAccess): AclEntry[] {
  const allow = (resourceType: AclResourceTypes, resourceName: string, operation: AclOperationTypes, resourcePatternType = ResourcePatternTypes.LITERAL): AclEntry => ({
    resourceType,
    resourceName,
    resourcePatternType,
    principal: access.principal,
    host: '*',
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  });
  const state = access.state
    ? [
        ...access.state.topics.map((topic) => allow(AclResourceTypes.TOPIC, topic, AclOperationTypes.READ)),
        allow(AclResourceTypes.GROUP, access.state.groupPrefix, AclOperationTypes.READ, ResourcePatternTypes.PREFIXED),
        allow(AclResourceTypes.TRANSACTIONAL_ID, access.state.transactionalId, AclOperationTypes.WRITE),
        allow(AclResourceTypes.TRANSACTIONAL_ID, access.state.transactionalId, AclOperationTypes.DESCRIBE),
      ]
    : [];
  return [
    ...access.writes.map((topic) => allow(AclResourceTypes.TOPIC, topic, AclOperationTypes.WRITE)),
    ...access.reads.map((topic) => allow(AclResourceTypes.TOPIC, topic, AclOperationTypes.READ)),
    allow(AclResourceTypes.GROUP, access.group, AclOperationTypes.READ, access.groupIsPrefix ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL),
    ...state,
  ];
}

/**
 * Makes each principal's ACLs (the services' and the console's, kafkaAccessList) exactly
 * kafkaAcls(access): adds the missing ones and deletes any other ACL of that principal (left
 * from an older topology). Run as admin.
 * Returns once the broker enforces them: the controller commits a change before the broker's
 * authorizer has loaded it, and a client connecting in between would still be refused.
 */
export async function applyKafkaAcls(admin: Admin, timeoutMs = 30_000): Promise<{ added: number; deleted: number; total: number }> {
  const wanted = kafkaAccessList().flatMap(kafkaAcls);
  const want = new Set(wanted.map(aclKey));
  const existing = await serviceAcls(admin);
  const have = new Set(existing.map(aclKey));
  const missing = wanted.filter((a) => !have.has(aclKey(a)));
  const stale = existing.filter((a) => !want.has(aclKey(a)));
  if (missing.length > 0) await admin.createAcls({ acl: missing });
  if (stale.length > 0) await admin.deleteAcls({ filters: stale });
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const now = (await serviceAcls(admin)).map(aclKey);
    if (now.length === want.size && now.every((k) => want.has(k))) break;
    if (Date.now() > deadline) throw new Error(`the broker did not apply the ACLs within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100)); // poll interval, not a wait for a guessed duration
  }
  return { added: missing.length, deleted: stale.length, total: wanted.length };
}

/** Every ACL the broker holds for the managed principals (the services and the console). */
export async function serviceAcls(admin: Admin): Promise<AclEntry[]> {
  const found: AclEntry[] = [];
  for (const { principal } of kafkaAccessList()) {
    const { resources } = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      principal,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    for (const { acls, ...resource } of resources) for (const acl of acls) found.push({ ...resource, ...acl });
  }
  return found;
}

const aclKey = (a: AclEntry) => [a.principal, a.resourceType, a.resourceName, a.resourcePatternType, a.host, a.operation, a.permissionType].join('|');

function unique(items: string[]): string[] {
  return [...new Set(items)].sort();
}
