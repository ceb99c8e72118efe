import { applyDecorators, BadRequestException, Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { addRequestLogFields, ApiJsonResponse, ApiProblemResponses, CurrentPrincipal, openApiSchema, validate, type Principal } from '@shop/platform';
import { z } from 'zod';
import { CancelOrderCommand } from '../application/cancel-order/cancel-order.command';
import { PlaceOrderCommand, type PlaceOrderAnswer } from '../application/place-order/place-order.command';
import { GetOrderHistoryQuery, GetOrderQuery, ListOrdersQuery } from '../application/queries/order-queries';
import { isOrderId } from '../domain/order';
import { orderNotFound } from '../domain/order.errors';
import { customerFieldsInBody, customerOfToken } from './customer-of-token';
import { orderHistory, orderPage, orderView, placeOrderAnswer } from './order-api.responses';
import { idempotencyKeyHeader, listOrdersQuery, placeOrderRequest } from './place-order.request';

/** The part of Express's response this controller sets. */
interface Response {
  status(code: number): this;
  location(url: string): this;
  setHeader(name: string, value: string): this;
}

const orderIdParam = z.string().min(1).max(200);
const listQuerySchema = openApiSchema(listOrdersQuery, 'input') as { properties: Record<string, Record<string, unknown>> };

/**
 * Every route needs a customer's access token (the platform's BearerAuthGuard): a customer
 * places orders as themself and sees only their own; an admin sees every order. Another
 * customer's order answers 404, exactly like one that does not exist.
 */
@ApiTags('orders')
@ApiBearerAuth()
@ApiProblemResponses([401, 'No valid access token (with `WWW-Authenticate: Bearer`)'], [429, 'Over the rate limit (see `Retry-After`)'])
@UseGuards(ThrottlerGuard)
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: "Place an order as the signed-in customer (the token's subject); the saga runs in the background (poll GET /orders/{id})",
    description:
      "The customer's id, email address and name come from the access token (`sub`, `email`, `name`): the emails about the order go to the token's address. A body naming `customerId`, `customerEmail` or `customerName` is refused (400 REQUEST.CUSTOMER_FROM_TOKEN).",
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Same key and body: the same answer, nothing new created. Same key, other body: 422.',
    schema: openApiSchema(idempotencyKeyHeader, 'input'),
  })
  @ApiBody({ schema: openApiSchema(placeOrderRequest, 'input') })
  @ApiJsonResponse(202, 'Accepted, the saga under way; `Location` points at the order', placeOrderAnswer)
  @ApiProblemResponses(
    [400, 'Not a valid order (every problem listed in `errors`), a customer field in the body (REQUEST.CUSTOMER_FROM_TOKEN), or no Idempotency-Key'],
    [403, 'The access token carries no usable email address (AUTH.EMAIL_REQUIRED, AUTH.CUSTOMER_CLAIMS_INVALID)'],
    [413, 'Body over 64 kB'],
    [422, 'Well-formed, but refused: a SKU on two lines, an unknown SKU, mixed currencies (ORDER.*); the key reused with another body, or not 1-255 visible ASCII characters (IDEMPOTENCY.*)'],
  )
  async place(
    @CurrentPrincipal() customer: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PlaceOrderAnswer> {
    if (!key) throw new BadRequestException({ code: 'REQUEST.IDEMPOTENCY_KEY_REQUIRED', message: 'the Idempotency-Key header is required (any unique string, e.g. a UUID)' });
    const fromToken = customerFieldsInBody(body);
    if (fromToken.length > 0) {
      throw new BadRequestException({ code: 'REQUEST.CUSTOMER_FROM_TOKEN', message: fromToken.map((e) => e.message).join('; '), errors: fromToken });
    }
    const request = validate(placeOrderRequest, body);
    const answer = await this.commands.execute(new PlaceOrderCommand(key, customerOfToken(customer), request));
    addRequestLogFields({ orderId: answer.body.orderId });
    res.status(answer.status).location(`/orders/${answer.body.orderId}`);
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return answer.body;
  }

  @Get()
  @ApiOperation({ summary: "List orders, newest first, with keyset paging: a customer's own, or (admin) everyone's" })
  @ApiQueryParameters(listQuerySchema)
  @ApiJsonResponse(200, 'A page of orders, newest first; `nextCursor` is null on the last page', orderPage)
  @ApiProblemResponses([400, 'A query parameter out of bounds, unknown, or a cursor this API did not return'])
  list(@CurrentPrincipal() viewer: Principal, @Query() query: unknown) {
    return this.queries.execute(new ListOrdersQuery(validate(listOrdersQuery, query, 'query'), viewer));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One order: status, priced lines, total, saga timeline, failure reason' })
  @ApiOrderIdParam()
  @ApiJsonResponse(200, 'The order', orderView)
  @ApiProblemResponses([400, 'Not a valid order id'], [404, 'No such order, or not yours'])
  get(@CurrentPrincipal() viewer: Principal, @Param('id') id: string) {
    return this.queries.execute(new GetOrderQuery(orderIdOf(id), viewer));
  }

  @Get(':id/history')
  @ApiOperation({ summary: "The order's events in order: its audit trail" })
  @ApiOrderIdParam()
  @ApiJsonResponse(200, "The order's events, oldest first", orderHistory)
  @ApiProblemResponses([400, 'Not a valid order id'], [404, 'No such order, or not yours'])
  async history(@CurrentPrincipal() viewer: Principal, @Param('id') id: string) {
    const events = await this.queries.execute(new GetOrderHistoryQuery(orderIdOf(id), viewer));
    return events.map(({ seq, type, status, data, at }) => ({ seq, type, status, data, at }));
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @ApiOperation({ summary: 'Cancel before dispatch: the saga undoes every step (shipment, payment, stock)' })
  @ApiOrderIdParam()
  @ApiJsonResponse(202, 'Cancelling: COMPENSATING now, CANCELLED once every step is undone', placeOrderAnswer)
  @ApiProblemResponses([400, 'Not a valid order id'], [404, 'No such order, or not yours'], [409, 'Too late: already dispatched, or already final (ORDER.CANNOT_CANCEL)'])
  cancel(@CurrentPrincipal() by: Principal, @Param('id') id: string) {
    return this.commands.execute(new CancelOrderCommand(orderIdOf(id), by));
  }
}

/**
 * The order id of the path, validated, and named on every log line of the request from here on.
 * Order ids are UUIDs: anything else is an order that does not exist (404), answered without
 * asking the database.
 */
function orderIdOf(id: string): string {
  const orderId = validate(orderIdParam, id, 'order id');
  if (!isOrderId(orderId)) throw orderNotFound(orderId);
  addRequestLogFields({ orderId });
  return orderId;
}

/** Documents each field of a zod object schema as an optional query parameter (bounds, patterns and enums included). */
function ApiQueryParameters(schema: { properties: Record<string, Record<string, unknown>> }) {
  return applyDecorators(
    ...Object.entries(schema.properties).map(([name, { description, ...field }]) =>
      ApiQuery({ name, required: false, description: description as string | undefined, schema: field }),
    ),
  );
}

function ApiOrderIdParam() {
  return ApiParam({ name: 'id', description: 'The orderId POST /orders answered', schema: openApiSchema(orderIdParam, 'input') });
}
