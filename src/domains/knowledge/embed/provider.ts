/**
 * One interface for every embedding provider.
 *
 * How to call:
 *   const embedder = embedderFor(platform.config, 'frontdesk-hash-384');
 *   const vectors = await embedder.embed(['first passage', 'second passage']);
 *   // vectors[i].length === embedder.dimensions (checked: a provider answering anything else throws)
 */
import type { Config } from '../../../platform/config.js';
import { HttpEmbedder } from './http.js';
import { OFFLINE_MODEL, OfflineEmbedder } from './offline.js';
import { EmbeddingError } from './vectors.js';

export { EmbeddingError };

export interface Embedder {
  /** Recorded on every chunk it embeds (`knowledge_chunks.embedding_model`). */
  readonly model: string;
  /** Expected length of every vector; `undefined` until an HTTP provider without a configured size answers. */
  readonly dimensions: number | undefined;
  /** One vector per text, in order. Throws `EmbeddingError` on a provider error or a wrong size. */
  embed(texts: string[]): Promise<number[][]>;
}

/** The model a tenant uses when it chose none: the configured one, else the offline embedder's. */
export function defaultModel(config: Config): string {
  return config.embeddings.model ?? (config.embeddings.provider === 'offline' ? OFFLINE_MODEL : 'default');
}

/** The embedder of the configured provider for `model`. */
export function embedderFor(config: Config, model: string = defaultModel(config)): Embedder {
  const e = config.embeddings;
  if (e.provider === 'offline') return new OfflineEmbedder(model);
  if (!e.url) throw new EmbeddingError(`FRONTDESK_EMBEDDINGS_URL is required for the ${e.provider} provider`);
  return new HttpEmbedder({
    protocol: e.provider,
    url: e.url,
    model,
    apiKey: e.apiKey,
    dimensions: e.dimensions,
  });
}
