/**
 * Embedding providers over HTTP, for servers the operator configures (not tenant-chosen URLs,
 * so plain fetch rather than safeFetch):
 *
 * - `openai`: POST {url}/v1/embeddings {model, input: string[], dimensions?} with
 *   `Authorization: Bearer <key>` → {data: [{index, embedding}]} (OpenAI, Azure-compatible
 *   gateways, vLLM, LM Studio, llama.cpp server …);
 * - `ollama`: POST {url}/api/embed {model, input: string[]} → {embeddings: number[][]}.
 *
 * Texts go in batches; a 429 or 5xx (or a network error) is retried with exponential backoff,
 * waiting at least what `Retry-After` asks (capped); any other error, or vectors of the wrong
 * size, throw `EmbeddingError` with the provider's message.
 */
import { checkVectors, type Embedder, EmbeddingError } from './vectors.js';

export interface HttpEmbedderOptions {
  protocol: 'openai' | 'ollama';
  url: string;
  model: string;
  apiKey?: string | undefined;
  /** Expected vector size (sent to OpenAI as `dimensions`); unset = whatever the first answer has. */
  dimensions?: number | undefined;
  batchSize?: number;
  /** Attempts per batch, the first included. */
  attempts?: number;
  /** First backoff delay; doubles per attempt. */
  backoffMs?: number;
  timeoutMs?: number;
  /** How to wait between attempts (tests record the waits instead of asserting clock times). */
  sleep?: (ms: number) => Promise<void>;
}

const MAX_RETRY_AFTER_MS = 30_000;

/**
 * `Retry-After` as milliseconds (delta-seconds or an HTTP date), or undefined. `now` defaults to
 * the wall clock, not the Clock: the provider's HTTP date is real time and so is the wait.
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined;
}

export class HttpEmbedder implements Embedder {
  readonly model: string;
  dimensions: number | undefined;

  constructor(private readonly options: HttpEmbedderOptions) {
    this.model = options.model;
    this.dimensions = options.dimensions;
  }

  async embed(texts: string[]): Promise<number[][]> {
    const size = this.options.batchSize ?? 64;
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += size) {
      const batch = texts.slice(i, i + size);
      const vectors = checkVectors(await this.request(batch), batch.length, this.dimensions);
      this.dimensions ??= vectors[0]?.length;
      out.push(...vectors);
    }
    return out;
  }

  private async request(input: string[]): Promise<unknown> {
    const o = this.options;
    const openai = o.protocol === 'openai';
    const endpoint = new URL(
      openai ? 'v1/embeddings' : 'api/embed',
      o.url.endsWith('/') ? o.url : `${o.url}/`,
    );
    const body = JSON.stringify({
      model: o.model,
      input,
      ...(openai && o.dimensions ? { dimensions: o.dimensions } : {}),
    });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (o.apiKey) headers.authorization = `Bearer ${o.apiKey}`;
    const attempts = o.attempts ?? 4;
    let lastError = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let wait = (o.backoffMs ?? 250) * 2 ** (attempt - 1);
      try {
        const res = await fetch(endpoint, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
        });
        const text = await res.text();
        if (res.ok) return parse(o.protocol, text);
        lastError = `${o.protocol} embeddings answered ${res.status}: ${providerMessage(text)}`;
        if (res.status !== 429 && res.status < 500) break;
        wait = Math.max(wait, retryAfterMs(res.headers.get('retry-after')) ?? 0);
      } catch (error) {
        if (error instanceof EmbeddingError) throw error;
        lastError = `${o.protocol} embeddings unreachable: ${(error as Error).message}`;
      }
      if (attempt < attempts) await (o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(wait);
    }
    throw new EmbeddingError(lastError);
  }
}

function parse(protocol: 'openai' | 'ollama', text: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new EmbeddingError(`${protocol} embeddings answered with invalid JSON`);
  }
  if (protocol === 'ollama') return (json as { embeddings?: unknown }).embeddings;
  const data = (json as { data?: Array<{ index: number; embedding: unknown }> }).data;
  if (!Array.isArray(data)) return undefined;
  return [...data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
}

/** The provider's own error message (OpenAI: {error: {message}}, Ollama: {error}), shortened. */
function providerMessage(text: string): string {
  try {
    const json = JSON.parse(text) as { error?: string | { message?: string } };
    const e = json.error;
    const message = typeof e === 'string' ? e : e?.message;
    if (message) return message.slice(0, 300);
  } catch {}
  return text.slice(0, 300) || '(empty body)';
}
