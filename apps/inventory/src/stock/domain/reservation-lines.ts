/** One line of a reservation: so many units of one SKU. */
export interface ReservationLine {
  sku: string;
  quantity: number;
}

/**
 * The lines as the stock is taken: one per SKU (quantities of repeated SKUs added up) and in SKU
 * order, so two orders that share products always lock their rows in the same order and can
 * never deadlock each other.
 */
export function lockOrderLines(lines: ReservationLine[]): ReservationLine[] {
  const bySku = new Map<string, number>();
  for (const line of lines) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.quantity);
  return [...bySku.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([sku, quantity]) => ({ sku, quantity }));
}
