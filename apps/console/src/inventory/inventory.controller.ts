import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { InventoryProduct, StockReceipt } from '@shop/console-api';
import { AccessToken, AdminGuard } from '../auth/admin.guard';
import { InventoryApiClient } from './inventory-api.client';

/**
 * The Inventory view's API: the products with their stock (GET /api/inventory) and receiving a
 * delivery (POST /api/inventory/receipts, with the session's CSRF token like every POST), both
 * through inventory's admin API as the signed-in admin.
 */
@Controller('api/inventory')
@UseGuards(AdminGuard)
export class InventoryController {
  constructor(private readonly inventory: InventoryApiClient) {}

  @Get()
  products(@AccessToken() token: string): Promise<InventoryProduct[]> {
    return this.inventory.products(token);
  }

  @Post('receipts')
  @HttpCode(201)
  receive(@AccessToken() token: string, @Body() body: unknown): Promise<StockReceipt> {
    return this.inventory.receive(token, body);
  }
}
