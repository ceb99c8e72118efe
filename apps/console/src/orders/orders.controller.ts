import { Controller, Get, Param, ParseUUIDPipe, Query, UseGuards } from '@nestjs/common';
import { AccessToken, AdminGuard } from '../auth/admin.guard';
import { sagaSteps, type Order, type OrderDetail, type OrderList, type OrderRow } from '@shop/console-api';
import { OrderApiClient } from './order-api.client';

/** The console's JSON API for orders: the browser polls it; it reads the order API as the signed-in admin. */
@Controller('api/orders')
@UseGuards(AdminGuard)
export class OrdersController {
  constructor(private readonly orders: OrderApiClient) {}

  /** The newest orders first, filtered as the order API filters (status, customerId); `now` lets the page show ages by the server's clock. */
  @Get()
  async list(@AccessToken() token: string, @Query('status') status?: string, @Query('customerId') customerId?: string, @Query('limit') limit?: string, @Query('cursor') cursor?: string): Promise<OrderList> {
    const page = await this.orders.list(token, { status, customerId, limit, cursor });
    return { now: new Date().toISOString(), items: page.items.map(toRow), nextCursor: page.nextCursor };
  }

  /** One order with its saga's steps, read from its timeline, and its history. */
  @Get(':id')
  async one(@AccessToken() token: string, @Param('id', new ParseUUIDPipe()) id: string): Promise<OrderDetail> {
    const [order, history] = await Promise.all([this.orders.order(token, id), this.orders.history(token, id)]);
    return { now: new Date().toISOString(), order, steps: sagaSteps(order.timeline), history };
  }
}

function toRow({ id, customerId, status, totalCents, currency, placedAt, updatedAt }: Order): OrderRow {
  return { id, customerId, status, totalCents, currency, placedAt, updatedAt };
}
