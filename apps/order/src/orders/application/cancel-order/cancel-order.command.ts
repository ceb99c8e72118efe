import { Command } from '@nestjs/cqrs';
import type { Principal } from '@shop/platform';

export class CancelOrderCommand extends Command<{ orderId: string; status: string }> {
  constructor(
    readonly orderId: string,
    /** Its customer, or an admin; anyone else is told there is no such order. */
    readonly by: Principal,
  ) {
    super();
  }
}
