import { CreateMessagingTables1764000000000 } from './1764000000000-create-messaging-tables';

/** Add these to every service's TypeORM `migrations`, before the service's own. */
export const messagingMigrations = [CreateMessagingTables1764000000000];
