import { randomBytes } from 'node:crypto';
import { keyIdOf, kekFromBase64, newDataKey, openField, sealField, unwrapKey, wrapKey } from './data-key-cipher';

describe('data key cipher (AES-256-GCM)', () => {
  const alice = newDataKey('alice');

  it('seals a field so that only its key, customer and field open it', () => {
    const sealed = sealField(alice, 'customerEmail', 'alice@example.com');
    expect(sealed).toMatch(/^pd1\.[0-9a-f-]{36}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('alice@example.com');
    expect(keyIdOf(sealed)).toBe(alice.id);
    expect(openField(alice, 'customerEmail', sealed)).toBe('alice@example.com');
    // Moved to another field, or under another customer's key with the same id: refused.
    expect(() => openField(alice, 'customerName', sealed)).toThrow('customerName: does not open with this key');
    expect(() => openField({ ...alice, customerId: 'bob' }, 'customerEmail', sealed)).toThrow('does not open');
    expect(() => openField(newDataKey('alice'), 'customerEmail', sealed)).toThrow(`sealed with key ${alice.id}`);
  });

  it('uses a fresh IV each time, and refuses a value with a byte changed', () => {
    const a = sealField(alice, 'customerName', 'Alice Liddell');
    const b = sealField(alice, 'customerName', 'Alice Liddell');
    expect(a).not.toBe(b);
    const body = a.split('.')[2];
    const flipped = Buffer.from(body, 'base64url');
    flipped[14] ^= 1;
    expect(() => openField(alice, 'customerName', `pd1.${alice.id}.${flipped.toString('base64url')}`)).toThrow('does not open');
  });

  it('tells a sealed value from plain text', () => {
    expect(keyIdOf('alice@example.com')).toBeUndefined();
    expect(() => openField(alice, 'customerEmail', 'alice@example.com')).toThrow('customerEmail: not a sealed value');
  });

  it('wraps a data key under the KEK, bound to its customer and id', () => {
    const kek = randomBytes(32);
    const wrapped = wrapKey(kek, alice);
    expect(wrapped).not.toContain(alice.secret.toString('base64url'));
    const back = unwrapKey(kek, 'alice', alice.id, wrapped);
    expect(back.secret.equals(alice.secret)).toBe(true);
    expect(openField(back, 'customerEmail', sealField(alice, 'customerEmail', 'a@example.com'))).toBe('a@example.com');
    expect(() => unwrapKey(randomBytes(32), 'alice', alice.id, wrapped)).toThrow(`data key ${alice.id}: does not open`);
    expect(() => unwrapKey(kek, 'bob', alice.id, wrapped)).toThrow('does not open');
  });

  it('takes a KEK of 32 bytes in base64 only, without echoing a bad value', () => {
    const good = randomBytes(32).toString('base64');
    expect(kekFromBase64(good)).toHaveLength(32);
    for (const bad of ['', 'c2hvcnQ=', randomBytes(31).toString('base64'), `${good}!`]) {
      expect(() => kekFromBase64(bad)).toThrow('PERSONAL_DATA_KEK must be 32 bytes in base64');
    }
    const refusal = (() => {
      try {
        kekFromBase64('c2VjcmV0LXRoYXQtaXMtdG9vLXNob3J0');
        return 'accepted';
      } catch (error) {
        return String(error);
      }
    })();
    expect(refusal).toContain('must be 32 bytes');
    expect(refusal).not.toContain('c2VjcmV0');
  });
});
