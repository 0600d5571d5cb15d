import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeEmbeddings, startFakeEmbeddings } from '../../../../test/fakes/embeddings.js';
import { loadConfig } from '../../../platform/config.js';
import { HttpEmbedder, retryAfterMs } from './http.js';
import { OfflineEmbedder, words } from './offline.js';
import { embedderFor } from './provider.js';
import { vectorText } from './vectors.js';

let fake: FakeEmbeddings;
beforeAll(async () => {
  fake = await startFakeEmbeddings('sk-test-key');
});
afterAll(() => fake.close());

const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('offline embedder', () => {
  it('is deterministic, L2-normalised and ranks lexical overlap', async () => {
    const e = new OfflineEmbedder();
    const [q, near, far] = await e.embed([
      'When can I check in?',
      'Check-in is from 3pm',
      'Our office dog is called Biscuit',
    ]);
    expect(q).toHaveLength(384);
    expect(Math.hypot(...q!)).toBeCloseTo(1, 6);
    expect(await e.embed(['When can I check in?'])).toEqual([q]);
    expect(cosine(q!, near!)).toBeGreaterThan(cosine(q!, far!));
    expect(() => new OfflineEmbedder('gpt-embeddings')).toThrow(/unknown offline embedding model/);
    expect(new OfflineEmbedder('frontdesk-hash-256').dimensions).toBe(256);
  });
});

/**
 * The offline embedder's definition, written plainly: every feature as a string in a Map, FNV-1a
 * over it, the norm by Math.hypot. The shipped embedder hashes features without building them.
 */
function reference(text: string, dims: number): number[] {
  const fnv = (s: string) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return h >>> 0;
  };
  const weights: Record<string, number> = { w: 1, b: 0.5, c: 0.25 };
  const counts = new Map<string, number>();
  const add = (f: string) => counts.set(f, (counts.get(f) ?? 0) + 1);
  const ws = words(text);
  ws.forEach((w, i) => {
    add(`w:${w}`);
    if (i > 0) add(`b:${ws[i - 1]} ${w}`);
    const padded = `<${w}>`;
    for (let j = 0; j + 4 <= padded.length; j++) add(`c:${padded.slice(j, j + 4)}`);
  });
  const v = new Array<number>(dims).fill(0);
  for (const [f, n] of counts) {
    const h = fnv(f);
    v[h % dims]! += (h & 0x80000000 ? -1 : 1) * weights[f[0]!]! * (1 + Math.log(n));
  }
  const norm = Math.hypot(...v);
  return norm === 0 ? v : v.map((x) => x / norm);
}

describe('offline embedder: the fast path computes the definition', () => {
  const texts = [
    '',
    '!!! ???',
    'a',
    'Refunds > Partial refunds\nA refund is issued within 5 working days; refunds for late cancellations are partial.',
    'Ünïcödé café naïve RÉSUMÉ 東京 123 456 über-straße',
    'x'.repeat(3000),
    Array.from({ length: 2000 }, (_, i) => `word${i % 700}`).join(' '),
  ];
  it.each([64, 384, 1536])('frontdesk-hash-%i equals the reference to 4-byte float precision', (dims) => {
    const e = new OfflineEmbedder(`frontdesk-hash-${dims}`);
    for (const text of texts) {
      const expected = reference(text, dims).map(Math.fround);
      expect(e.vector(text).map(Math.fround)).toEqual(expected);
    }
  });
});

describe('vectorText', () => {
  it('writes each element as the 4-byte float pgvector stores, in pgvector syntax', () => {
    const v = [0, -0, 0.1, -0.027566516529615528, 1 / 3, 1e-9, -2.5e-12, 1, 0.1];
    const text = vectorText(v);
    expect(text.startsWith('[0,0,0.100000001,-0.0275665168,')).toBe(true);
    const back = text.slice(1, -1).split(',').map(Number);
    // -0 is written as 0, as JSON.stringify writes it.
    expect(back.map(Math.fround)).toEqual(v.map((x) => Math.fround(x) + 0));
    expect(vectorText([])).toBe('[]');
  });
});

describe('HTTP embedders against a local fake server', () => {
  it('OpenAI protocol: bearer key, batches, vectors put back in order', async () => {
    fake.requests.length = 0;
    const config = loadConfig({
      FRONTDESK_EMBEDDINGS: 'openai',
      FRONTDESK_EMBEDDINGS_URL: fake.url,
      FRONTDESK_EMBEDDINGS_MODEL: 'text-embedding-3-small',
      FRONTDESK_EMBEDDINGS_API_KEY: 'sk-test-key',
      FRONTDESK_EMBEDDINGS_DIMENSIONS: '384',
    });
    const texts = Array.from({ length: 70 }, (_, i) => `passage number ${i}`);
    const vectors = await embedderFor(config).embed(texts);
    expect(vectors).toEqual(texts.map((t) => new OfflineEmbedder().vector(t)));
    expect(fake.requests.map((r) => [r.path, r.authorization, r.body.input.length])).toEqual([
      ['/v1/embeddings', 'Bearer sk-test-key', 64],
      ['/v1/embeddings', 'Bearer sk-test-key', 6],
    ]);
    expect(fake.requests[0]!.body).toMatchObject({ model: 'text-embedding-3-small', dimensions: 384 });
  });

  it('Ollama protocol', async () => {
    fake.requests.length = 0;
    const e = new HttpEmbedder({ protocol: 'ollama', url: fake.url, model: 'nomic-embed-text' });
    const [v] = await e.embed(['hello']);
    expect(v).toEqual(new OfflineEmbedder().vector('hello'));
    expect(e.dimensions).toBe(384);
    expect(fake.requests[0]).toMatchObject({
      path: '/api/embed',
      body: { model: 'nomic-embed-text', input: ['hello'] },
    });
  });

  it('retries 429 and 5xx with backoff, waiting what Retry-After asks', async () => {
    fake.requests.length = 0;
    fake.script.push({ status: 429, retryAfter: '1' }, { status: 503 });
    const waits: number[] = [];
    const e = new HttpEmbedder({
      protocol: 'openai',
      url: fake.url,
      model: 'm',
      apiKey: 'sk-test-key',
      backoffMs: 100,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await e.embed(['x']);
    expect(fake.requests).toHaveLength(3);
    // Retry-After: 1 beats the first backoff (100 ms); the 503 has none, so backoff doubles.
    expect(waits).toEqual([1000, 200]);
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(Date.now() + 5_000).toUTCString())).toBeGreaterThan(3000);
    expect(retryAfterMs('3600')).toBe(30_000);
    expect(retryAfterMs(null)).toBeUndefined();
  });

  it('gives up with the provider message: wrong key, persistent errors, wrong dimensions', async () => {
    const wrongKey = new HttpEmbedder({ protocol: 'openai', url: fake.url, model: 'm', apiKey: 'sk-wrong' });
    await expect(wrongKey.embed(['x'])).rejects.toThrow(/answered 401: Incorrect API key provided/);

    fake.script.push({ status: 500 }, { status: 500 });
    const flaky = new HttpEmbedder({
      protocol: 'ollama',
      url: fake.url,
      model: 'm',
      attempts: 2,
      backoffMs: 1,
    });
    await expect(flaky.embed(['x'])).rejects.toThrow(/answered 500: scripted failure 500/);

    const sized = new HttpEmbedder({ protocol: 'ollama', url: fake.url, model: 'm', dimensions: 768 });
    await expect(sized.embed(['x'])).rejects.toThrow(/vector of 384 dimensions; expected 768/);

    fake.script.push({ status: 200, body: '{"embeddings": [[1, 2], [3]]}' });
    await expect(
      new HttpEmbedder({ protocol: 'ollama', url: fake.url, model: 'm' }).embed(['a', 'b']),
    ).rejects.toThrow(/vector of 1 dimensions; expected 2/);

    fake.script.push({ status: 200, body: '{"embeddings": [[0.5, 1e39]]}' });
    await expect(
      new HttpEmbedder({ protocol: 'ollama', url: fake.url, model: 'm' }).embed(['a']),
    ).rejects.toThrow(/not a finite 4-byte float/);

    const down = new HttpEmbedder({ protocol: 'ollama', url: 'http://127.0.0.1:9', model: 'm', attempts: 1 });
    await expect(down.embed(['x'])).rejects.toThrow(/unreachable/);
  });
});
