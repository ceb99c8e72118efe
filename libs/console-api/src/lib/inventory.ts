import type { paths } from './inventory-api.generated';

/**
 * The inventory admin API's answers, which the console's Inventory view passes on, read from the
 * types `npm run inventory:openapi` generates from its committed OpenAPI document
 * (apps/inventory/openapi.json): not restated here.
 */

/** A product with its stock: GET /api/inventory is a list of these, by SKU (inventory's GET /products). */
export type InventoryProduct = paths['/products']['get']['responses'][200]['content']['application/json'][number];

/**
 * POST /api/inventory/receipts (inventory's POST /stock-receipts): a delivery of one SKU. The page
 * makes the receipt id once per delivery it submits, so a double click or a retry adds the units once.
 */
export type StockReceiptRequest = paths['/stock-receipts']['post']['requestBody']['content']['application/json'];

/** The answer to a receipt, the first time and every time it is sent again. */
export type StockReceipt = paths['/stock-receipts']['post']['responses'][201]['content']['application/json'];
