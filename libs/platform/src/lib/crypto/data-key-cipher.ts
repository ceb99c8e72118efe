import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';

/**
 * Crypto-shredding's building blocks (node:crypto, AES-256-GCM): each customer's personal fields
 * are sealed with that customer's own data key, so destroying the key makes every copy of them
 * (topics, dead letters, tables, backups) unreadable at once. A data key travels and rests only
 * wrapped under the shop's key-encryption key (KEK), never in clear.
 *
 * A sealed field is text: `pd1.<key id>.<base64url(iv | ciphertext | tag)>`. The key id says
 * which key opens it; the customer and the field's name are bound in as additional data, so a
 * sealed value moved to another field or another customer's record does not open.
 */
export interface DataKey {
  /** Names the key in sealed values and key records (not secret). */
  id: string;
  customerId: string;
  /** 32 random bytes. Never logged, traced or sent unwrapped. */
  secret: Buffer;
}

const VERSION = 'pd1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const SEALED = /^pd1\.([0-9a-f-]{36})\.([A-Za-z0-9_-]+)$/;

/** A new random data key for a customer. */
export function newDataKey(customerId: string): DataKey {
  return { id: randomUUID(), customerId, secret: randomBytes(KEY_BYTES) };
}

/** The key id a sealed value names, or undefined when the value is not sealed (plain text, an older message). */
export function keyIdOf(value: string): string | undefined {
  return SEALED.exec(value)?.[1];
}

/** Seals `plaintext` as the customer's `field` (e.g. `customerEmail`). A fresh IV each time: the same value seals differently. */
export function sealField(key: DataKey, field: string, plaintext: string): string {
  return `${VERSION}.${key.id}.${seal(key.secret, aad('field', key.customerId, field), Buffer.from(plaintext, 'utf8'))}`;
}

/** Opens a value sealField made with this key for this field; throws if it was made for another key, customer or field, or altered. */
export function openField(key: DataKey, field: string, sealed: string): string {
  const match = SEALED.exec(sealed);
  if (!match) throw new Error(`${field}: not a sealed value`);
  if (match[1] !== key.id) throw new Error(`${field}: sealed with key ${match[1]}, not ${key.id}`);
  return open(key.secret, aad('field', key.customerId, field), match[2], field).toString('utf8');
}

/** The data key wrapped under the KEK, as text for a table row or a key record (bound to its customer and id). */
export function wrapKey(kek: Buffer, key: DataKey): string {
  return seal(kek, aad('key', key.customerId, key.id), key.secret);
}

/** The data key back from its wrapped form; throws if the KEK is not the one that wrapped it, or the record was altered. */
export function unwrapKey(kek: Buffer, customerId: string, id: string, wrapped: string): DataKey {
  return { id, customerId, secret: open(kek, aad('key', customerId, id), wrapped, `data key ${id}`) };
}

/** The KEK from its setting: 32 bytes, base64. Throws naming what is wrong (the value itself is never echoed). */
export function kekFromBase64(setting: string, name = 'PERSONAL_DATA_KEK'): Buffer {
  const kek = Buffer.from(setting, 'base64');
  if (kek.length !== KEY_BYTES || kek.toString('base64') !== setting) throw new Error(`${name} must be ${KEY_BYTES} bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
  return kek;
}

function aad(kind: 'field' | 'key', customerId: string, name: string): Buffer {
  return Buffer.from(JSON.stringify([VERSION, kind, customerId, name]), 'utf8');
}

function seal(secret: Buffer, additionalData: Buffer, plaintext: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, secret, iv).setAAD(additionalData);
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]).toString('base64url');
}

function open(secret: Buffer, additionalData: Buffer, sealed: string, what: string): Buffer {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error(`${what}: sealed value too short`);
  const decipher = createDecipheriv(ALGORITHM, secret, bytes.subarray(0, IV_BYTES)).setAAD(additionalData);
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    // GCM's tag did not match: wrong key, wrong customer or field, or altered bytes. Nothing of the key or the value in the message.
    throw new Error(`${what}: does not open with this key (another key, customer or field, or altered)`);
  }
}
