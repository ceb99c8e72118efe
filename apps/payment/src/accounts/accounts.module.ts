import { DynamicModule, Module } from '@nestjs/common';
import { AccountService } from './application/account.service';
import { AccountRepository, SNAPSHOT_EVERY } from './infrastructure/account.repository';

@Module({})
export class AccountsModule {
  static forRoot(options: { snapshotEvery: number }): DynamicModule {
    return {
      module: AccountsModule,
      providers: [{ provide: SNAPSHOT_EVERY, useValue: options.snapshotEvery }, AccountRepository, AccountService],
      exports: [AccountService],
    };
  }
}
