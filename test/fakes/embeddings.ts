/**
 * A local embeddings server speaking the OpenAI (`POST /v1/embeddings`) and Ollama
 * (`POST /api/embed`) protocols. It checks the bearer key (OpenAI) and the payload shape,
 * answers deterministic vectors (the offline embedder's, so results are meaningful), and can be
 * told to fail: `script.push({ status: 429, retryAfter: '1' })` answers the next request so.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OfflineEmbedder } from '../../src/domains/knowledge/embed/offline.js';

export interface FakeEmbeddings {
  url: string;
  /** Every request received: path, authorization header and parsed body. */
  requests: Array<{
    path: string;
    authorization: string | undefined;
    body: { model: string; input: string[] };
  }>;
  /** Answers for the next requests, in order (then normal answers). */
  script: Array<{ status: number; retryAfter?: string; body?: string }>;
  /** Vector size answered (default 384). */
  dimensions: number;
  close(): Promise<void>;
}

export async function startFakeEmbeddings(apiKey = 'sk-test-key'): Promise<FakeEmbeddings> {
  const fake: FakeEmbeddings = {
    url: '',
    requests: [],
    script: [],
    dimensions: 384,
    close: () => new Promise((r) => server.close(() => r())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      const openai = req.url === '/v1/embeddings';
      if (req.method !== 'POST' || (!openai && req.url !== '/api/embed')) {
        return send(404, { error: 'not found' });
      }
      let body: { model?: unknown; input?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(400, { error: { message: 'invalid JSON' } });
      }
      const authorization = req.headers.authorization;
      fake.requests.push({ path: req.url!, authorization, body: body as never });
      if (openai && authorization !== `Bearer ${apiKey}`) {
        return send(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
      }
      if (
        typeof body.model !== 'string' ||
        !Array.isArray(body.input) ||
        !body.input.every((s) => typeof s === 'string')
      ) {
        return send(400, {
          error: { message: "'model' (string) and 'input' (array of strings) are required" },
        });
      }
      const scripted = fake.script.shift();
      if (scripted) {
        return send(
          scripted.status,
          scripted.body ?? { error: { message: `scripted failure ${scripted.status}` } },
          scripted.retryAfter ? { 'retry-after': scripted.retryAfter } : {},
        );
      }
      const embedder = new OfflineEmbedder(`frontdesk-hash-${fake.dimensions}`);
      const vectors = (body.input as string[]).map((t) => embedder.vector(t));
      if (openai) {
        return send(200, {
          object: 'list',
          model: body.model,
          // Out of order on purpose: clients must sort by index.
          data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })).reverse(),
          usage: { prompt_tokens: 1, total_tokens: 1 },
        });
      }
      return send(200, { model: body.model, embeddings: vectors });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
