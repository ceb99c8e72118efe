import { TOPOLOGY } from '@shop/contracts';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { consoleKafkaAccess, kafkaAccess, kafkaAccessList, kafkaAcls, kafkaTopics, SERVICE_NAMES } from './kafka-access';

describe('kafkaAccess: each service principal, from the contracts TOPOLOGY', () => {
  it.each(SERVICE_NAMES)('%s may write what it sends and the DLQs of what it reads, and read what it receives with its own group', (service) => {
    const access = kafkaAccess(service);
    const { sends, receives } = TOPOLOGY[service];
    expect(access.principal).toBe(`User:${service}`);
    expect(access.group).toBe(service);
    for (const m of receives) expect(access.reads).toContain(m.topic);
    for (const m of sends) expect(access.writes).toContain(m.topic);
    for (const topic of access.reads) expect(access.writes).toContain(`${topic}.dlq`);
    expect(access.writes.filter((t) => !t.endsWith('.dlq')).every((t) => sends.some((m) => m.topic === t))).toBe(true);
  });

  it('spells out the ones the issue names: inventory may neither write payment.events nor read payment.commands', () => {
    expect(kafkaAccess('inventory')).toEqual({ principal: 'User:inventory', group: 'inventory', reads: ['inventory.commands'], writes: ['inventory.catalog', 'inventory.commands.dlq', 'inventory.events'] });
    expect(kafkaAccess('notification')).toEqual({ principal: 'User:notification', group: 'notification', reads: ['order.events'], writes: ['order.events.dlq'] });
  });

  it('turns it into literal ALLOW entries: WRITE and READ on topics, READ on the group, nothing else (no CREATE, no cluster)', () => {
    for (const service of SERVICE_NAMES.filter((s) => !TOPOLOGY[s].state)) {
      const acls = kafkaAcls(kafkaAccess(service));
      expect(acls.every((a) => a.principal === `User:${service}` && a.permissionType === AclPermissionTypes.ALLOW && a.resourcePatternType === ResourcePatternTypes.LITERAL)).toBe(true);
      const kinds = new Set(acls.map((a) => `${a.resourceType}:${a.operation}`));
      expect([...kinds].sort()).toEqual([`${AclResourceTypes.GROUP}:${AclOperationTypes.READ}`, `${AclResourceTypes.TOPIC}:${AclOperationTypes.READ}`, `${AclResourceTypes.TOPIC}:${AclOperationTypes.WRITE}`].sort());
      expect(acls.filter((a) => a.resourceType === AclResourceTypes.GROUP).map((a) => a.resourceName)).toEqual([service]);
    }
  });

  it('every topic a principal may use is one the admin creates', () => {
    const created = new Set(kafkaTopics().map((t) => t.topic));
    for (const service of SERVICE_NAMES) for (const t of [...kafkaAccess(service).reads, ...kafkaAccess(service).writes]) expect(created).toContain(t);
    for (const service of SERVICE_NAMES) for (const t of kafkaAccess(service).state?.topics ?? []) expect(created).toContain(t);
    expect(kafkaTopics().filter((t) => t.compacted).map((t) => t.topic)).toEqual(['analytics.order-windows', 'inventory.catalog']);
  });

  it('lays out every topic and its DLQ for a cluster when given a layout, and leaves the defaults otherwise', () => {
    const layout = { partitions: 12, replicationFactor: 3, minInsyncReplicas: 2 };
    const topics = kafkaTopics(layout);
    expect(topics.map((t) => t.topic)).toEqual(kafkaTopics().map((t) => t.topic));
    expect(topics.filter((t) => t.topic.endsWith('.dlq'))).toHaveLength(topics.length / 2);
    for (const t of topics) expect(t).toMatchObject(layout);
    expect(topics.find((t) => t.topic === 'inventory.catalog')).toEqual({ topic: 'inventory.catalog', compacted: true, ...layout });
    for (const t of kafkaTopics()) expect(Object.keys(t).filter((k) => k !== 'topic' && k !== 'compacted')).toEqual([]);
  });
});

describe('kafkaAccess: a stream processor (analytics)', () => {
  it('reads the order events with its group, writes its windows, and reads them back to resume', () => {
    expect(kafkaAccess('analytics')).toEqual({
      principal: 'User:analytics',
      group: 'analytics',
      reads: ['order.events'],
      writes: ['analytics.order-windows', 'order.events.dlq'],
      state: { topics: ['analytics.order-windows'], groupPrefix: 'analytics-state-', transactionalId: 'analytics' },
    });
  });

  it('adds READ on its state topic, its restore groups by prefix, and WRITE and DESCRIBE on its transactional id: nothing on the cluster', () => {
    const acls = kafkaAcls(kafkaAccess('analytics'));
    // kafkajs' enums are plain objects at run time (no reverse mapping).
    const name = (names: object, value: number) => Object.entries(names).find(([, v]) => v === value)?.[0];
    const describe = (a: (typeof acls)[number]) => `${name(AclResourceTypes, a.resourceType)} ${a.resourceName} ${name(AclOperationTypes, a.operation)} ${name(ResourcePatternTypes, a.resourcePatternType)}`;
    expect(acls.map(describe).sort()).toEqual(
      [
        'TOPIC analytics.order-windows WRITE LITERAL',
        'TOPIC order.events.dlq WRITE LITERAL',
        'TOPIC order.events READ LITERAL',
        'GROUP analytics READ LITERAL',
        'TOPIC analytics.order-windows READ LITERAL',
        'GROUP analytics-state- READ PREFIXED',
        'TRANSACTIONAL_ID analytics WRITE LITERAL',
        'TRANSACTIONAL_ID analytics DESCRIBE LITERAL',
      ].sort(),
    );
    expect(acls.every((a) => a.principal === 'User:analytics' && a.permissionType === AclPermissionTypes.ALLOW)).toBe(true);
  });

  it("its restore groups cannot be another service's group", () => {
    expect(SERVICE_NAMES.some((s) => s.startsWith('analytics-state-'))).toBe(false);
  });
});

describe('consoleKafkaAccess: the ops console replays dead letters and nothing more', () => {
  const consumed = [...new Set(SERVICE_NAMES.flatMap((s) => TOPOLOGY[s].receives.map((m) => m.topic)))].sort();

  it('reads every DLQ a consumer writes to, and writes only the topics they came from', () => {
    const access = consoleKafkaAccess();
    expect(access.principal).toBe('User:console');
    expect(access.reads).toEqual(consumed.map((t) => `${t}.dlq`));
    expect(access.writes).toEqual(consumed);
    // No live topic is readable, no DLQ writable.
    expect(access.reads.every((t) => t.endsWith('.dlq'))).toBe(true);
    expect(access.writes.some((t) => t.endsWith('.dlq'))).toBe(false);
  });

  it('joins groups by prefix only (console-<uuid> per read), never a service group', () => {
    const group = kafkaAcls(consoleKafkaAccess()).filter((a) => a.resourceType === AclResourceTypes.GROUP);
    expect(group).toEqual([expect.objectContaining({ resourceName: 'console-', resourcePatternType: ResourcePatternTypes.PREFIXED, operation: AclOperationTypes.READ })]);
    expect(SERVICE_NAMES.some((s) => s.startsWith('console-'))).toBe(false);
  });

  it('is managed with the services: one principal each, and the console, each topic it names created by the admin', () => {
    expect(kafkaAccessList().map((a) => a.principal)).toEqual([...SERVICE_NAMES.map((s) => `User:${s}`), 'User:console']);
    const created = new Set(kafkaTopics().map((t) => t.topic));
    for (const t of [...consoleKafkaAccess().reads, ...consoleKafkaAccess().writes]) expect(created).toContain(t);
  });
});
