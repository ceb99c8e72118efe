import { Command } from '@nestjs/cqrs';

export class CancelOrderCommand extends Command<{ orderId: string; status: string }> {
  constructor(readonly orderId: string) {
    super();
  }
}
