import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { orderNotFound } from '../../domain/order.errors';
import { OrderSagaRunner } from '../order-saga.runner';
import { maySee } from '../order-access';
import { CancelOrderCommand } from './cancel-order.command';

/** The customer cancels: the saga undoes what was done (CancelShipment, RefundPayment, ReleaseStock). */
@CommandHandler(CancelOrderCommand)
export class CancelOrderHandler implements ICommandHandler<CancelOrderCommand> {
  constructor(
    private readonly db: DataSource,
    private readonly saga: OrderSagaRunner,
  ) {}

  async execute({ orderId, by }: CancelOrderCommand): Promise<{ orderId: string; status: string }> {
    const order = await this.db.transaction((manager) =>
      this.saga.runExisting(manager, orderId, (o) => {
        if (!maySee(by, o.state.customer.id)) throw orderNotFound(orderId);
        o.cancel(new Date(), this.saga.timings);
      }),
    );
    return { orderId, status: order.state.status };
  }
}
