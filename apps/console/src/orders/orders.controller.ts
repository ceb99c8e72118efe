import { BadRequestException, Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { AccessToken, AdminGuard, SignedIn } from '../auth/admin.guard';
import type { Session } from '../auth/sessions';
import { isTestOrderPath, sagaSteps, TEST_ORDER_PATHS, type Order, type OrderAccepted, type OrderDetail, type OrderList, type OrderRow } from '@shop/console-api';
import { OrderApiClient } from './order-api.client';
import { TestOrderRunner } from './test-order-runner';

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

/**
 * Test orders down a chosen path of the saga, placed through the order API as the signed-in admin
 * (the order is theirs: the API takes the customer from the token). A separate route from
 * /api/orders so that the list stays read-only.
 */
@Controller('api/test-orders')
@UseGuards(AdminGuard)
export class TestOrdersController {
  constructor(private readonly runner: TestOrderRunner) {}

  @Post()
  @HttpCode(202)
  async place(@SignedIn() session: Session, @Body() body: { path?: unknown } | undefined): Promise<OrderAccepted> {
    const path = body?.path;
    if (!isTestOrderPath(path)) throw new BadRequestException({ type: 'about:blank', title: 'Unknown path', status: 400, detail: `path must be one of ${Object.keys(TEST_ORDER_PATHS).join(', ')}` });
    // The order API takes the address from the token and refuses a token without one (403, which
    // this console would report as a failing API): said here in words the admin can act on.
    if (!session.email) throw new BadRequestException({ type: 'about:blank', title: 'No email', status: 400, detail: `${session.user} has no email address at the identity provider: the shop emails every customer` });
    return this.runner.place(session, path, { name: session.name ?? session.user });
  }
}

function toRow({ id, customerId, status, totalCents, currency, placedAt, updatedAt }: Order): OrderRow {
  return { id, customerId, status, totalCents, currency, placedAt, updatedAt };
}
