import { unshippableReason, type ShippingAddress } from './address';

describe('unshippableReason', () => {
  const address: ShippingAddress = { name: 'Alice Example', street: '1 Main Street', city: 'Springfield', postalCode: '12345', country: 'DE' };

  it('ships to an ordinary address', () => {
    expect(unshippableReason(address)).toBeNull();
  });

  it.each(['AQ', 'aq'])('refuses a country no carrier serves (%s), whatever its case', (country) => {
    expect(unshippableReason({ ...address, country })).toBe(`ADDRESS_UNREACHABLE: no carrier ships to ${country}`);
  });

  it.each(['00000', ' 00000 '])('refuses the postal code that does not exist (%j), spaces trimmed', (postalCode) => {
    expect(unshippableReason({ ...address, postalCode })).toBe('ADDRESS_UNREACHABLE: postal code 00000 does not exist');
  });

  it('names the country first when both rules apply', () => {
    expect(unshippableReason({ ...address, country: 'AQ', postalCode: '00000' })).toMatch(/no carrier ships to AQ/);
  });

  it('does not mistake look-alikes for the refused values', () => {
    for (const postalCode of ['000000', '0000', '10000']) expect(unshippableReason({ ...address, postalCode })).toBeNull();
    expect(unshippableReason({ ...address, country: 'AT' })).toBeNull();
  });
});
