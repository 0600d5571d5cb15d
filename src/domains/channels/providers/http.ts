/**
 * Helpers the provider modules share: constant-time signature comparison, the replay window,
 * body parsing that fails as 400, and provider API calls that turn HTTP outcomes into
 * TransportErrors (429/5xx retryable with Retry-After honoured, other 4xx final).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../platform/errors.js';
import { TransportError } from './types.js';

/** Replay window for timestamped signatures (Slack's and Mailgun's recommendation). */
export const REPLAY_WINDOW_MS = 5 * 60 * 1000;

export const hmac = (algorithm: 'sha1' | 'sha256', key: string, data: string): Buffer =>
  createHmac(algorithm, key).update(data, 'utf8').digest();

/** Compares two signatures without leaking where they differ. */
export function sameSignature(given: string | undefined | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function unauthorized(detail: string): AppError {
  return new AppError('unauthorized', detail);
}

export function requireSecret(secrets: Record<string, string>, name: string): string {
  const value = secrets[name];
  // A channel without its secret cannot verify anything: refuse rather than accept unsigned traffic.
  if (!value) throw unauthorized(`the channel has no ${name} configured`);
  return value;
}

/** Throws unless `timestampSeconds` lies within the replay window around `now`. */
export function requireFresh(timestampSeconds: string | undefined | null, now: Date): void {
  const ts = Number(timestampSeconds);
  if (!timestampSeconds || !Number.isFinite(ts)) throw unauthorized('missing or invalid signature timestamp');
  if (Math.abs(now.getTime() - ts * 1000) > REPLAY_WINDOW_MS) {
    throw unauthorized('the signature timestamp is outside the 5-minute window');
  }
}

export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new AppError('bad_request', 'the body is not valid JSON');
  }
}

export const parseForm = (raw: string): URLSearchParams => new URLSearchParams(raw);

/** Milliseconds from a Retry-After header (seconds or an HTTP date), if it has one. */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/**
 * Calls a provider API (base URLs come from configuration, not from tenants, so this is plain
 * fetch rather than safeFetch) and returns the parsed JSON body of a 2xx answer.
 */
export async function callProvider(
  url: string,
  init: { method?: string; headers: Record<string, string>; body?: string },
  now: Date,
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'POST',
      headers: init.headers,
      body: init.body,
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new TransportError(
      `provider unreachable: ${(error as Error).message}`,
      true,
      'network',
      undefined,
      true,
    );
  }
  const text = await response.text();
  if (response.status === 429 || response.status >= 500) {
    throw new TransportError(
      `provider answered ${response.status}`,
      true,
      String(response.status),
      retryAfterMs(response.headers.get('retry-after'), now),
    );
  }
  if (!response.ok)
    throw new TransportError(
      `provider refused the message (${response.status}): ${text.slice(0, 200)}`,
      false,
      String(response.status),
    );
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new TransportError('provider answered with a body that is not JSON', true, 'bad_response');
  }
}
