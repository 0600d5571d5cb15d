/**
 * A tenant's knowledge-base settings live in `tenants.settings.knowledge` (jsonb, no migration
 * per new knob): `{ embeddingModel?: string, language?: string }`.
 *
 * - `embeddingModel`: the model its chunks are embedded with; unset = the configured default
 *   (embed/provider.ts). Changing it re-embeds every chunk in the background (knowledge.reembed).
 * - `language`: an ISO 639-1 code choosing the full-text configuration (stemming, stop words);
 *   unset = the tenant's `locale`. Unknown languages use `simple`.
 *
 * How to call (inside withTenant):
 *   const { embeddingModel, tsConfig } = await knowledgeSettings(tx, config);
 */
import { sql } from 'drizzle-orm';
import type { Config } from '../../platform/config.js';
import { rows, type Tx } from '../../platform/db/database.js';
import { defaultModel } from './embed/provider.js';

/** ISO 639-1 → the Postgres text search configuration of that language (both engines ship these). */
const TS_CONFIGS: Record<string, string> = {
  ar: 'arabic',
  hy: 'armenian',
  eu: 'basque',
  ca: 'catalan',
  da: 'danish',
  nl: 'dutch',
  en: 'english',
  et: 'estonian',
  fi: 'finnish',
  fr: 'french',
  de: 'german',
  el: 'greek',
  hi: 'hindi',
  hu: 'hungarian',
  id: 'indonesian',
  ga: 'irish',
  it: 'italian',
  lt: 'lithuanian',
  ne: 'nepali',
  no: 'norwegian',
  nb: 'norwegian',
  nn: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  es: 'spanish',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  yi: 'yiddish',
};

/** `en-GB` → `english`; anything unknown → `simple` (no stemming, no stop words). */
export function tsConfigFor(language: string | undefined): string {
  const code = language?.toLowerCase().split(/[-_]/)[0] ?? '';
  return TS_CONFIGS[code] ?? 'simple';
}

export interface KnowledgeSettings {
  embeddingModel: string;
  tsConfig: string;
}

/** The current tenant's settings (the tenant row is visible to its own context). */
export async function knowledgeSettings(tx: Tx, config: Config): Promise<KnowledgeSettings> {
  const [t] = await rows<{ model: string | null; language: string | null; locale: string }>(
    tx,
    sql`SELECT settings->'knowledge'->>'embeddingModel' AS model,
               settings->'knowledge'->>'language' AS language, locale
          FROM tenants WHERE id = current_setting('app.tenant_id')::uuid`,
  );
  return {
    embeddingModel: t?.model ?? defaultModel(config),
    tsConfig: tsConfigFor(t?.language ?? t?.locale),
  };
}
