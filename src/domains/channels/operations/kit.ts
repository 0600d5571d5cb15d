/**
 * What the channel configuration operations share: write-only `secrets` (sealed before they are
 * written, never returned), the server-made widget key, the widget origin format and the channel
 * example.
 */
import { randomBytes } from 'node:crypto';
import type { AppPlatform } from '../../../platform/jobs.js';
import { sealSecrets } from '../../../platform/secrets.js';
import { z } from '../../../platform/zod.js';

export type Row = Record<string, unknown>;
type ZObject = z.ZodObject<z.ZodRawShape>;

const secrets = z
  .record(z.string().min(1).max(100), z.string().max(10_000))
  .refine((o) => Object.keys(o).length <= 50, 'at most 50 entries')
  .openapi({
    description:
      'Provider credentials (tokens, signing secrets). Write-only: never returned; an update replaces the whole set.',
  });
/** Seals `secrets` of a create or update body before it is written (src/platform/secrets.ts). */
export const sealed = (input: Row, platform: AppPlatform): Row =>
  input.secrets
    ? { ...input, secrets: sealSecrets(platform.config.secrets, input.secrets as Record<string, string>) }
    : input;
/** Adds the write-only `secrets` back to a body schema (`hidden` takes it out of both directions). */
export const withSecrets = (s: ZObject): ZObject => s.extend({ secrets: secrets.optional() });

/** An origin as browsers send it: scheme and host (and port), nothing else. */
export const origin = z
  .string()
  .max(300)
  .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'an origin such as https://www.example.com (no path)');

export const newWidgetKey = (): string => `wk_${randomBytes(18).toString('base64url')}`;

export const CHANNEL_EXAMPLE = {
  kind: 'widget',
  name: 'Website chat',
  config: { greeting: 'Hi! Questions about your stay? Ask away.', collectEmail: true },
};
