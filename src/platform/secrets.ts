/**
 * Secrets at rest (channel and integration credentials, webhook signing secrets), sealed with
 * envelope encryption: each value gets its own random 256-bit data key (AES-256-GCM), and that
 * data key is wrapped with the key-encryption key named by its id (AES-256-GCM too). The stored
 * text carries the key id, so keys rotate without a flag day:
 *
 *   fdsealed:v1:<key id>:<wrapped data key>:<ciphertext>      (base64url parts, each iv|tag|bytes)
 *
 * The keys come from FRONTDESK_SECRETS_KEYS (`id:base64-32-bytes`, comma-separated; the first
 * seals, all open). Without keys, values are stored as given (local development) and `frontdesk
 * secrets rotate` seals them once a key is configured. A value without the prefix is read as
 * plain text, so data written before sealing keeps working until it is rotated.
 *
 * @example
 *   const ring = parseKeyring('k1:' + randomBytes(32).toString('base64'));
 *   openString(ring, sealString(ring, 'tok')) === 'tok'
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface Keyring {
  /** The key that seals new values (the first configured), if any. */
  current: { id: string; key: Buffer } | undefined;
  /** Every configured key by id: all of them open. */
  keys: Map<string, Buffer>;
}

export const PREFIX = 'fdsealed:v1:';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export class SecretsError extends Error {
  override name = 'SecretsError';
}

/** Parses `id:base64key,id2:base64key` (32-byte keys). Throws with a message that never shows a key. */
export function parseKeyring(spec: string | undefined): Keyring {
  const keys = new Map<string, Buffer>();
  let current: Keyring['current'];
  for (const entry of (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    const id = entry.slice(0, colon);
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (colon < 1 || !KEY_ID.test(id))
      throw new SecretsError('each key must be written id:base64 (id: 1–32 letters, digits, _ or -)');
    if (key.length !== 32) throw new SecretsError(`key ${id} is not 32 bytes of base64`);
    if (keys.has(id)) throw new SecretsError(`key id ${id} appears twice`);
    keys.set(id, key);
    current ??= { id, key };
  }
  return { current, keys };
}

function encrypt(key: Buffer, plain: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

function decrypt(key: Buffer, sealed: string): Buffer {
  const raw = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
}

export const isSealed = (value: string): boolean => value.startsWith(PREFIX);

/** The id of the key that sealed `value`, or undefined for a plain value. */
export const sealedWith = (value: string): string | undefined =>
  isSealed(value) ? value.slice(PREFIX.length).split(':')[0] : undefined;

/** Seals one value with the current key (as given when no key is configured). */
export function sealString(ring: Keyring, plain: string): string {
  if (!ring.current) return plain;
  const dataKey = randomBytes(32);
  const wrapped = encrypt(ring.current.key, dataKey);
  return `${PREFIX}${ring.current.id}:${wrapped}:${encrypt(dataKey, Buffer.from(plain, 'utf8'))}`;
}

/** Opens a sealed value (a plain one is returned as is). Throws when its key is not configured or it was altered. */
export function openString(ring: Keyring, value: string): string {
  if (!isSealed(value)) return value;
  const [id, wrapped, body] = value.slice(PREFIX.length).split(':');
  const key = ring.keys.get(id ?? '');
  if (!key)
    throw new SecretsError(
      `a secret is sealed with key ${id}, which is not configured (FRONTDESK_SECRETS_KEYS)`,
    );
  try {
    return decrypt(decrypt(key, wrapped ?? ''), body ?? '').toString('utf8');
  } catch {
    throw new SecretsError(
      `a secret sealed with key ${id} does not open: altered, or another key under the same id`,
    );
  }
}

/** Seals every value of a credentials object (the names stay readable). */
export const sealSecrets = (ring: Keyring, secrets: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, sealString(ring, v)]));

export const openSecrets = (ring: Keyring, secrets: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, openString(ring, v)]));
