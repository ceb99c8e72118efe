import { CreateMessagingTables1764000000000 } from './1764000000000-create-messaging-tables';
import { IndexInboxReceivedAt1764001000000 } from './1764001000000-index-inbox-received-at';
import { CreateOutboxRelayLeases1764001600000 } from './1764001600000-create-outbox-relay-leases';

/** Add these to every service's TypeORM `migrations`, before the service's own. */
export const messagingMigrations = [CreateMessagingTables1764000000000, IndexInboxReceivedAt1764001000000, CreateOutboxRelayLeases1764001600000];
