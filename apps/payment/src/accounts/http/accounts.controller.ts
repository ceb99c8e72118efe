import { Controller, Get, Param } from '@nestjs/common';
import { ADMIN_ROLE, DomainError, RequireRoles, storableString, validate } from '@shop/platform';
import { DataSource } from 'typeorm';
import { AccountRepository } from '../infrastructure/account.repository';

/**
 * GET /accounts/:customerId: an account as the service sees it (latest snapshot plus the events
 * after it). Read-only; for support staff (the admin role) and for checking the balance against a
 * full replay.
 */
@RequireRoles(ADMIN_ROLE)
@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly db: DataSource,
    private readonly accounts: AccountRepository,
  ) {}

  @Get(':customerId')
  async get(@Param('customerId') param: string) {
    const customerId = validate(storableString(), param, 'customer id');
    const { state, version } = await this.accounts.load(this.db.manager, customerId);
    if (!state) throw new DomainError('ACCOUNT.NOT_FOUND', 'NOT_FOUND', `no payment account for customer ${customerId} (accounts open on the first charge)`);
    return { customerId, currency: state.currency, balanceCents: state.balanceCents, version, charges: state.charges };
  }
}
