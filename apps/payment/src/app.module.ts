import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@shop/platform';
import { AccountsModule } from './accounts/accounts.module';
import { AccountEventEntity } from './accounts/infrastructure/account-event.entity';
import { AccountSnapshotEntity } from './accounts/infrastructure/account-snapshot.entity';
import { CreateAccountEventStore1764000100000 } from './accounts/infrastructure/migrations/1764000100000-create-account-event-store';
import type { PaymentConfig } from './config';

export const paymentMigrations = [CreateAccountEventStore1764000100000];

@Module({})
export class AppModule {
  static forRoot(config: PaymentConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'payment',
          config,
          entities: [AccountEventEntity, AccountSnapshotEntity],
          migrations: paymentMigrations,
        }),
        AccountsModule.forRoot({ snapshotEvery: config.PAYMENT_SNAPSHOT_EVERY }),
      ],
    };
  }
}
