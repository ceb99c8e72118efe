export interface ShippingAddress {
  name: string;
  street: string;
  city: string;
  postalCode: string;
  country: string;
}

/**
 * Documented inputs that make a shipment impossible (apps/shipping/README.md), so the
 * "shipment impossible" path of the order saga can be triggered on purpose.
 */
export const UNSHIPPABLE_COUNTRIES = ['AQ']; // Antarctica: no carrier goes there
export const UNSHIPPABLE_POSTAL_CODE = '00000';

/** Why an address cannot be shipped to, or null when it can. */
export function unshippableReason(address: ShippingAddress): string | null {
  if (UNSHIPPABLE_COUNTRIES.includes(address.country.toUpperCase())) return `ADDRESS_UNREACHABLE: no carrier ships to ${address.country}`;
  if (address.postalCode.trim() === UNSHIPPABLE_POSTAL_CODE) return `ADDRESS_UNREACHABLE: postal code ${UNSHIPPABLE_POSTAL_CODE} does not exist`;
  return null;
}
