import { Controller, Get, Param, ParseUUIDPipe, Query, UseGuards } from '@nestjs/common';
import { AccessToken, AdminGuard } from '../auth/admin.guard';
import { OrderApiClient, type Order } from './order-api.client';
import { sagaSteps, type SagaStep } from './saga-steps';

/** A row of the console's order list: what the list shows, not the whole order. */
export interface OrderRow {
  id: string;
  customerId: string;
  status: string;
  totalCents: number;
  currency: string;
  placedAt: string;
  updatedAt: string;
}

/** The console's JSON API for orders: the browser polls it; it reads the order API as the signed-in admin. */
@Controller('api/orders')
@UseGuards(AdminGuard)
export class OrdersController {
  constructor(private readonly orders: OrderApiClient) {}

  /** The newest orders first, filtered as the order API filters (status, customerId); `now` lets the page show ages by the server's clock. */
  @Get()
  async list(@AccessToken() token: string, @Query('status') status?: string, @Query('customerId') customerId?: string, @Query('limit') limit?: string, @Query('cursor') cursor?: string): Promise<{ now: string; items: OrderRow[]; nextCursor: string | null }> {
    const page = await this.orders.list(token, { status, customerId, limit, cursor });
    return { now: new Date().toISOString(), items: page.items.map(toRow), nextCursor: page.nextCursor };
  }

  /** One order with its saga's steps, read from its timeline. */
  @Get(':id')
  async one(@AccessToken() token: string, @Param('id', new ParseUUIDPipe()) id: string): Promise<{ now: string; order: Order; steps: SagaStep[] }> {
    const order = await this.orders.order(token, id);
    return { now: new Date().toISOString(), order, steps: sagaSteps(order.timeline) };
  }
}

function toRow({ id, customerId, status, totalCents, currency, placedAt, updatedAt }: Order): OrderRow {
  return { id, customerId, status, totalCents, currency, placedAt, updatedAt };
}
