import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ADMIN_ROLE, ApiJsonResponse, ApiProblemResponses, CurrentPrincipal, openApiSchema, RequireRoles, validate, type Principal } from '@shop/platform';
import { ReceiveStockCommand } from '../application/receive-stock/receive-stock.command';
import type { StockReceipt } from '../domain/stock-receipt';
import { stockReceipt } from './inventory-api.responses';
import { stockReceiptRequest } from './inventory-api.requests';

/** The part of Express's response this controller sets. */
interface Response {
  status(code: number): this;
  setHeader(name: string, value: string): this;
}

/** Receiving stock: for admins only (no token 401, a customer 403). */
@ApiTags('stock')
@ApiBearerAuth()
@ApiProblemResponses([401, 'No valid access token (with `WWW-Authenticate: Bearer`)'], [403, 'Not an admin (AUTH.FORBIDDEN)'])
@RequireRoles(ADMIN_ROLE)
@Controller('stock-receipts')
export class StockReceiptsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @ApiOperation({
    summary: "Receive a delivery of one SKU: its units are added to the available stock and the product's new state is published to the catalog",
    description: 'Idempotent by `receiptId`: the same receipt again answers the same (201, `Idempotent-Replayed: true`) and adds nothing; the id with other contents is a conflict (409).',
  })
  @ApiBody({ schema: openApiSchema(stockReceiptRequest, 'input') })
  @ApiJsonResponse(201, 'Received (or received before: `Idempotent-Replayed: true`)', stockReceipt)
  @ApiProblemResponses(
    [400, 'Not a valid receipt: every bad field named in `errors` (REQUEST.INVALID)'],
    [404, 'No such SKU (INVENTORY.UNKNOWN_SKU)'],
    [409, 'The receipt id was recorded with another SKU or quantity (INVENTORY.RECEIPT_CONFLICT)'],
    [422, 'The stock would exceed 2147483647 units (INVENTORY.STOCK_TOO_HIGH)'],
  )
  async receive(@CurrentPrincipal() admin: Principal, @Body() body: unknown, @Res({ passthrough: true }) res: Response): Promise<StockReceipt> {
    const request = validate(stockReceiptRequest, body);
    const { receipt, replayed } = await this.commands.execute(new ReceiveStockCommand(request, admin.subject));
    res.status(201);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return receipt;
  }
}
