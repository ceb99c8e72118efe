import { Body, Controller, Get, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ADMIN_ROLE, ApiJsonResponse, ApiProblemResponses, openApiSchema, RequireRoles, validate } from '@shop/platform';
import { AddProductCommand } from '../application/add-product/add-product.command';
import { ListProductsQuery } from '../application/queries/list-products.query';
import type { ProductStock } from '../domain/product';
import { productList, productStock } from './inventory-api.responses';
import { newProductRequest } from './inventory-api.requests';

/** The products and their stock: for admins only (no token 401, a customer 403; customers browse the order service's GET /products). */
@ApiTags('products')
@ApiBearerAuth()
@ApiProblemResponses([401, 'No valid access token (with `WWW-Authenticate: Bearer`)'], [403, 'Not an admin (AUTH.FORBIDDEN)'])
@RequireRoles(ADMIN_ROLE)
@Controller('products')
export class ProductsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every product with its stock (available and reserved units), by SKU' })
  @ApiJsonResponse(200, 'Every product, by SKU', productList)
  list(): Promise<ProductStock[]> {
    return this.queries.execute(new ListProductsQuery());
  }

  @Post()
  @ApiOperation({ summary: 'Add a product, with no stock; it is published to the catalog (orders can name it; POST /stock-receipts adds units)' })
  @ApiBody({ schema: openApiSchema(newProductRequest, 'input') })
  @ApiJsonResponse(201, 'Added and published', productStock)
  @ApiProblemResponses([400, 'Not a valid product: every bad field named in `errors` (REQUEST.INVALID)'], [409, 'The SKU exists already (INVENTORY.PRODUCT_EXISTS)'])
  add(@Body() body: unknown): Promise<ProductStock> {
    const product = validate(newProductRequest, body);
    return this.commands.execute(new AddProductCommand(product));
  }
}
