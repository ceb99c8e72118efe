import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  decideCharge,
  decideRefund,
  evolve,
  openAccount,
  replay,
  type AccountEvent,
  type AccountState,
  type ChargeRecord,
  type ChargeRequest,
} from '../domain/account';
import { AccountRepository } from '../infrastructure/account.repository';

/**
 * Documented test accounts (apps/payment/README.md): a customer id starting with `broke-`
 * opens with no money, so every charge is declined for insufficient funds; any other
 * customer's account opens with 10,000.00 on first use.
 */
export const OPENING_BALANCE_CENTS = 1_000_000;
export const BROKE_CUSTOMER_PREFIX = 'broke-';

export interface ChargeCommand extends ChargeRequest {
  customerId: string;
}

/**
 * Payment use cases on the event-sourced account (one account per customer). Each method
 * runs in the caller's transaction: load, decide, append. A concurrent writer makes the append
 * fail with ConcurrencyError, which rolls the transaction back; the caller retries the whole
 * unit (the messaging layer treats it as a transient error).
 */
@Injectable()
export class AccountService {
  constructor(private readonly accounts: AccountRepository) {}

  /** Charges the order once; returns what became of the charge (charged, declined, voided). */
  async charge(manager: EntityManager, command: ChargeCommand): Promise<ChargeRecord> {
    const { state, version, events } = await this.loadOrOpen(manager, command.customerId, command.currency);
    const decided = decideCharge(state, command);
    const after = await this.save(manager, command.customerId, version, [...events, ...decided], state, decided);
    return after.charges[command.orderId];
  }

  /** Refunds the order's charge once; voids it if it never arrived. */
  async refund(manager: EntityManager, customerId: string, orderId: string, currency: string): Promise<ChargeRecord> {
    const { state, version, events } = await this.loadOrOpen(manager, customerId, currency);
    const decided = decideRefund(state, orderId);
    const after = await this.save(manager, customerId, version, [...events, ...decided], state, decided);
    return after.charges[orderId];
  }

  async balance(manager: EntityManager, customerId: string): Promise<AccountState | null> {
    return (await this.accounts.load(manager, customerId)).state;
  }

  private async loadOrOpen(manager: EntityManager, customerId: string, currency: string) {
    const loaded = await this.accounts.load(manager, customerId);
    if (loaded.state) return { state: loaded.state, version: loaded.version, events: [] as AccountEvent[] };
    const balance = customerId.startsWith(BROKE_CUSTOMER_PREFIX) ? 0 : OPENING_BALANCE_CENTS;
    const events = openAccount(customerId, balance, currency);
    return { state: replay(events) as AccountState, version: loaded.version, events };
  }

  /** `toAppend` includes the opening event of a new account; `decided` are folded onto `state`. */
  private async save(
    manager: EntityManager,
    accountId: string,
    version: number,
    toAppend: AccountEvent[],
    state: AccountState,
    decided: AccountEvent[],
  ): Promise<AccountState> {
    const after = decided.reduce<AccountState>((s, e) => evolve(s, e), state);
    await this.accounts.append(manager, accountId, version, toAppend, after);
    return after;
  }
}
