import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ApiJsonResponse, Public } from '@shop/platform';
import { DataSource } from 'typeorm';
import { CatalogRepository, type CatalogProduct } from '../infrastructure/catalog.repository';
import { catalog } from './order-api.responses';

/** The catalog is public: browsing needs no sign-in (the rate limit counts per client address). */
@ApiTags('products')
@Public()
@UseGuards(ThrottlerGuard)
@Controller('products')
export class ProductsController {
  constructor(
    private readonly db: DataSource,
    private readonly catalog: CatalogRepository,
  ) {}

  @Get()
  @ApiOperation({ summary: "What can be ordered: the order service's copy of inventory's catalog (SKU, name, price, available)" })
  @ApiJsonResponse(200, 'Every product, by SKU', catalog)
  list(): Promise<CatalogProduct[]> {
    return this.catalog.find(this.db.manager);
  }
}
