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
import { type Embedder, EmbeddingError } from './vectors.js';

export { type Embedder, EmbeddingError };

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
