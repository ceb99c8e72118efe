/** A product as admins add it (POST /products); it starts with no stock (POST /stock-receipts adds units). */
export interface NewProduct {
  sku: string;
  name: string;
  /** In minor units of `currency` (cents). */
  priceCents: number;
  currency: string;
}

/** A product with its stock, as the admin API lists it. */
export interface ProductStock extends NewProduct {
  /** Units on hand that are not reserved: what orders can still take. */
  available: number;
  /** Units held for orders whose saga has not finished or released them. */
  reserved: number;
}
