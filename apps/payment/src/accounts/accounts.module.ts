import { DynamicModule, Module } from '@nestjs/common';
import { AccountService } from './application/account.service';
import { AccountsController } from './http/accounts.controller';
import { PaymentCommandsHandler } from './application/on-payment-commands/payment-commands.handler';
import { AccountRepository, SNAPSHOT_EVERY } from './infrastructure/account.repository';

@Module({})
export class AccountsModule {
  static forRoot(options: { snapshotEvery: number }): DynamicModule {
    return {
      module: AccountsModule,
      controllers: [AccountsController, PaymentCommandsHandler],
      providers: [{ provide: SNAPSHOT_EVERY, useValue: options.snapshotEvery }, AccountRepository, AccountService],
      exports: [AccountService],
    };
  }
}
