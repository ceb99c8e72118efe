import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { addRequestLogFields, CurrentPrincipal, validate, type Principal } from '@shop/platform';
import { z } from 'zod';
import { CancelOrderCommand } from '../application/cancel-order/cancel-order.command';
import { PlaceOrderCommand, type PlaceOrderAnswer } from '../application/place-order/place-order.command';
import { GetOrderHistoryQuery, GetOrderQuery, ListOrdersQuery } from '../application/queries/order-queries';
import { listOrdersQuery, placeOrderRequest } from './place-order.request';

/** The part of Express's response this controller sets. */
interface Response {
  status(code: number): this;
  location(url: string): this;
  setHeader(name: string, value: string): this;
}

const problem = { description: 'application/problem+json: `code` names the error (see apps/order/README.md)' };
const orderIdParam = z.string().min(1).max(200);

/**
 * Every route needs a customer's access token (the platform's BearerAuthGuard): a customer
 * places orders as themself and sees only their own; an admin sees every order. Another
 * customer's order answers 404, exactly like one that does not exist.
 */
@ApiTags('orders')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'No valid access token (application/problem+json, `WWW-Authenticate: Bearer`)' })
@ApiResponse({ status: 429, ...problem })
@UseGuards(ThrottlerGuard)
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: "Place an order as the signed-in customer (the token's subject); the saga runs in the background (poll GET /orders/{id})" })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Same key and body: the same answer, nothing new created. Same key, other body: 422.' })
  @ApiBody({ schema: jsonSchema(placeOrderRequest) })
  @ApiResponse({ status: 202, description: 'Accepted: `{ orderId, status }`; `Location` points at the order' })
  @ApiResponse({ status: 400, ...problem })
  @ApiResponse({ status: 413, ...problem })
  @ApiResponse({ status: 422, ...problem })
  async place(
    @CurrentPrincipal() customer: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PlaceOrderAnswer> {
    if (!key) throw new BadRequestException({ code: 'REQUEST.IDEMPOTENCY_KEY_REQUIRED', message: 'the Idempotency-Key header is required (any unique string, e.g. a UUID)' });
    if (typeof body === 'object' && body !== null && 'customerId' in body) {
      throw new BadRequestException({ code: 'REQUEST.CUSTOMER_FROM_TOKEN', message: 'remove customerId from the body: the customer is the one the access token was issued to' });
    }
    const request = validate(placeOrderRequest, body);
    const answer = await this.commands.execute(new PlaceOrderCommand(key, customer.subject, request));
    addRequestLogFields({ orderId: answer.body.orderId });
    res.status(answer.status).location(`/orders/${answer.body.orderId}`);
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return answer.body;
  }

  @Get()
  @ApiOperation({ summary: "List orders, newest first, with keyset paging: a customer's own, or (admin) everyone's" })
  @ApiQuery({ name: 'customerId', required: false, description: "Admin: one customer's orders. A customer sees only their own (another id: an empty page)" })
  @ApiQuery({ name: 'status', required: false, enum: ['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'COMPENSATING', 'REJECTED', 'CANCELLED'] })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 100, default 20' })
  @ApiResponse({ status: 200, description: '`{ items, nextCursor }`' })
  @ApiResponse({ status: 400, ...problem })
  list(@CurrentPrincipal() viewer: Principal, @Query() query: unknown) {
    return this.queries.execute(new ListOrdersQuery(validate(listOrdersQuery, query, 'query'), viewer));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One order: status, priced lines, total, saga timeline, failure reason' })
  @ApiParam({ name: 'id' })
  @ApiResponse({ status: 200, description: 'The order' })
  @ApiResponse({ status: 404, ...problem })
  get(@CurrentPrincipal() viewer: Principal, @Param('id') id: string) {
    return this.queries.execute(new GetOrderQuery(orderIdOf(id), viewer));
  }

  @Get(':id/history')
  @ApiOperation({ summary: "The order's events in order: its audit trail" })
  @ApiResponse({ status: 200, description: 'Events: `{ seq, type, status, data, at }`' })
  @ApiResponse({ status: 404, ...problem })
  async history(@CurrentPrincipal() viewer: Principal, @Param('id') id: string) {
    const events = await this.queries.execute(new GetOrderHistoryQuery(orderIdOf(id), viewer));
    return events.map(({ seq, type, status, data, at }) => ({ seq, type, status, data, at }));
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @ApiOperation({ summary: 'Cancel before dispatch: the saga undoes every step (shipment, payment, stock)' })
  @ApiResponse({ status: 202, description: '`{ orderId, status }` (COMPENSATING, then CANCELLED)' })
  @ApiResponse({ status: 404, ...problem })
  @ApiResponse({ status: 409, ...problem })
  cancel(@CurrentPrincipal() by: Principal, @Param('id') id: string) {
    return this.commands.execute(new CancelOrderCommand(orderIdOf(id), by));
  }
}

/** The order id of the path, validated, and named on every log line of the request from here on. */
function orderIdOf(id: string): string {
  const orderId = validate(orderIdParam, id, 'order id');
  addRequestLogFields({ orderId });
  return orderId;
}

/** OpenAPI 3.0 schema of a zod schema (the same one that validates the requests). */
function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: 'openapi-3.0' }) as Record<string, unknown>;
}
