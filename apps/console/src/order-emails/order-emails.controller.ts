import { Controller, Get, Param, ParseUUIDPipe, UseGuards } from '@nestjs/common';
import type { OrderEmailsResult } from '@shop/console-api';
import { AccessToken, AdminGuard } from '../auth/admin.guard';
import { OrderApiClient } from '../orders/order-api.client';
import { MailpitClient } from './mailpit.client';

/** The emails an order caused, read from Mailpit, for the order page. */
@Controller('api/orders')
@UseGuards(AdminGuard)
export class OrderEmailsController {
  constructor(
    private readonly orders: OrderApiClient,
    private readonly mailpit: MailpitClient,
  ) {}

  /** The order is read first, as the signed-in admin: an unknown order is a 404, as on its page (Mailpit asks nobody who they are). */
  @Get(':id/emails')
  async emails(@AccessToken() token: string, @Param('id', new ParseUUIDPipe()) id: string): Promise<OrderEmailsResult> {
    const order = await this.orders.order(token, id);
    return this.mailpit.orderEmails(order.id);
  }
}
