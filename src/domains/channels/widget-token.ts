/**
 * Visitor tokens for the chat widget: anonymous, stateless, signed.
 *
 * `wv1.<visitorId>.<expires, unix seconds>.<base64url HMAC-SHA256>` over
 * `<channelId>.<visitorId>.<expires>`, keyed with a random secret kept per widget channel in
 * `channels.secrets.widgetTokenSecret` (made on first use). Nothing is stored per visitor: the
 * visitor id becomes the contact identity of the widget channel when they first write. A token
 * is bound to its channel (another widget's token does not verify), expires after
 * `VISITOR_TOKEN_TTL_MS`, and every token of a widget is revoked at once by deleting the secret.
 */

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { type Keyring, openString, sealString } from '../../platform/secrets.js';
import { channels } from './tables.js';

export const VISITOR_TOKEN_TTL_MS = 30 * 86_400_000;
const SECRET_KEY = 'widgetTokenSecret';
const VISITOR_RE = /^v_[A-Za-z0-9_-]{22}$/;

export const newVisitorId = (): string => `v_${randomBytes(16).toString('base64url')}`;

/** The channel's token secret, made (once, race-free) on first use. */
export async function tokenSecret(
  tx: Tx,
  channel: { id: string; secrets: Record<string, string> },
  ring: Keyring,
): Promise<string> {
  const existing = channel.secrets[SECRET_KEY];
  if (existing) return existing;
  const made = sealString(ring, randomBytes(32).toString('base64url'));
  await tx
    .update(channels)
    .set({ secrets: sql`${channels.secrets} || jsonb_build_object(${SECRET_KEY}::text, ${made}::text)` })
    .where(sql`${channels.id} = ${channel.id} AND NOT ${channels.secrets} ? ${SECRET_KEY}`);
  const [row] = await tx
    .select({ secrets: channels.secrets })
    .from(channels)
    .where(eq(channels.id, channel.id));
  return openString(ring, row!.secrets[SECRET_KEY]!);
}

const mac = (secret: string, channelId: string, visitorId: string, expires: number) =>
  createHmac('sha256', secret).update(`${channelId}.${visitorId}.${expires}`).digest('base64url');

export function signVisitorToken(
  secret: string,
  channelId: string,
  visitorId: string,
  now: Date,
): { token: string; expiresAt: Date } {
  const expires = Math.floor((now.getTime() + VISITOR_TOKEN_TTL_MS) / 1000);
  return {
    token: `wv1.${visitorId}.${expires}.${mac(secret, channelId, visitorId, expires)}`,
    expiresAt: new Date(expires * 1000),
  };
}

/** The visitor id of a valid, unexpired token of this channel; null otherwise. */
export function verifyVisitorToken(
  secret: string | undefined,
  channelId: string,
  token: string,
  now: Date,
): string | null {
  if (!secret) return null;
  const [version, visitorId, expiresText, signature, ...rest] = token.split('.');
  if (version !== 'wv1' || rest.length > 0 || !visitorId || !VISITOR_RE.test(visitorId)) return null;
  if (!expiresText || !/^\d{1,12}$/.test(expiresText) || !signature) return null;
  const expires = Number(expiresText);
  if (expires * 1000 <= now.getTime()) return null;
  const expected = Buffer.from(mac(secret, channelId, visitorId, expires));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? visitorId : null;
}
