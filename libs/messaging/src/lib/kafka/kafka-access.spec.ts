import { TOPOLOGY } from '@shop/contracts';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { kafkaAccess, kafkaAcls, kafkaTopics, SERVICE_NAMES } from './kafka-access';

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
    for (const service of SERVICE_NAMES) {
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
    expect(kafkaTopics().filter((t) => t.compacted).map((t) => t.topic)).toEqual(['inventory.catalog']);
  });
});
