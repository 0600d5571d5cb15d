/**
 * Every kind of bad input the knowledge base must refuse, each with a clear error and nothing
 * left behind; and the good path of every format. Runs on PGlite and on the server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestNow } from '../../src/domains/knowledge/ingest-write.js';
import { knowledgeChunks, knowledgeSources } from '../../src/domains/knowledge/tables.js';
import { loadConfig } from '../../src/platform/config.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { type FakeEmbeddings, startFakeEmbeddings } from '../fakes/embeddings.js';
import { makeTenant, type TestTenant, useTestApi } from '../helpers/api.js';
import { docx, encryptedPdf, pdf, zipBomb } from './files.js';
import { usePlatform } from './kb.js';

const MAX = 64 * 1024;
/** Built before any request, so no request waits on it (an idle keep-alive socket may be closed). */
const BOMB = zipBomb();
const api = useTestApi({ config: loadConfig({ FRONTDESK_KB_MAX_BYTES: String(MAX) }) });
let tenant: TestTenant;
let local: Server;
let localUrl: string;
let fake: FakeEmbeddings;

beforeAll(async () => {
  tenant = await makeTenant(api.db);
  fake = await startFakeEmbeddings('sk-test-key');
  local = createServer((req, res) => {
    if (req.url === '/slow') return; // never answers
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      '<html><head><title>Parcel FAQ</title></head><body><nav>Home | Track</nav><article><h1>Returns</h1>' +
        `<p>${'You can return a parcel within 30 days of delivery for a full refund. '.repeat(8)}</p>` +
        '<h2>Damaged parcels</h2><ul><li>Photograph the box</li><li>Report within 48 hours</li></ul></article></body></html>',
    );
  });
  await new Promise<void>((r) => local.listen(0, '127.0.0.1', r));
  localUrl = `http://127.0.0.1:${(local.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => local.close(r));
  await fake.close();
});

const sources = () => withTenant(api.db, tenant.id, (tx) => tx.select().from(knowledgeSources));
const sourcesByName = async () => Object.fromEntries((await sources()).map((s) => [s.fileName!, s] as const));
const chunkCount = async (sourceId: string) =>
  (
    await withTenant(api.db, tenant.id, (tx) =>
      tx.select().from(knowledgeChunks).where(eq(knowledgeChunks.sourceId, sourceId)),
    )
  ).length;

async function upload(body: Buffer | string, fileName: string, type = 'application/octet-stream') {
  const res = await api.fetch(`/v1/knowledge-sources/upload?fileName=${encodeURIComponent(fileName)}`, {
    method: 'POST',
    token: tenant.keys.admin,
    headers: { 'content-type': type },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('files refused before anything is stored', () => {
  const cases: Array<[string, () => Promise<Buffer> | Buffer, string, number, RegExp]> = [
    ['an empty file', () => Buffer.alloc(0), 'notes.txt', 422, /the file is empty/],
    [
      'binary garbage with a text extension',
      () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
      'notes.txt',
      422,
      /not valid UTF-8|binary/,
    ],
    [
      'binary with NULs that is valid UTF-8',
      () => Buffer.from('abc\u0000\u0000\u0001def'),
      'a.md',
      422,
      /binary data/,
    ],
    [
      'invalid UTF-8',
      () => Buffer.from([0x48, 0x69, 0x20, 0xc3, 0x28, 0xa0, 0xa1]),
      'notes.md',
      422,
      /not valid UTF-8/,
    ],
    ['an encrypted PDF', () => encryptedPdf(), 'secret.pdf', 422, /encrypted/],
    [
      'a corrupt PDF',
      () => Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage'),
      'broken.pdf',
      422,
      /PDF file is corrupt/,
    ],
    [
      'a truncated PDF',
      async () => (await pdf(['Hello'])).subarray(0, 300),
      'cut.pdf',
      422,
      /PDF file is corrupt/,
    ],
    ['a DOCX zip bomb', () => BOMB, 'bomb.docx', 422, /compressed \d+:1, like a zip bomb/],
    [
      'a DOCX that is not a ZIP',
      () => Buffer.from('PK? not really'),
      'fake.docx',
      422,
      /not a ZIP archive|corrupt/,
    ],
    ['a file over the size limit', () => Buffer.alloc(MAX + 1, 'a'), 'big.txt', 413, /over the limit/],
    ['an unknown format', () => Buffer.from('hello'), 'photo.heic', 415, /cannot ingest/],
  ];
  for (const [what, make, name, status, message] of cases) {
    it(`refuses ${what} (${status})`, async () => {
      const res = await upload(await make(), name);
      expect({ status: res.status, detail: res.body.detail }).toMatchObject({
        status,
        detail: expect.stringMatching(message),
      });
      expect(res.body.type).toBe(
        status === 413
          ? '/problems/payload-too-large'
          : status === 415
            ? '/problems/unsupported-media-type'
            : '/problems/validation-failed',
      );
      expect(await sources()).toEqual([]);
    });
  }

  it('refuses a body over the upload limit before reading it (413)', async () => {
    const res = await upload(Buffer.alloc(MAX + 70_000, 'a'), 'huge.txt');
    expect(res).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
    expect(await sources()).toEqual([]);
  });
});

describe('every format ingests', () => {
  it('Markdown, HTML (main content), PDF and DOCX (multipart) keep their structure', async () => {
    const md = await upload('# Pets\n\n- Dogs welcome\n- No cats\n', 'pets.md', 'text/markdown');
    const html = await upload(
      `<html><body><nav>Menu</nav><main><h1>Parking</h1><p>${'Free parking behind the house for one car. '.repeat(6)}</p></main><footer>© 2026</footer></body></html>`,
      'parking.html',
    );
    const pdfRes = await upload(
      await pdf(['Wi-Fi password is sunflower42', 'Breakfast from 7 to 10']),
      'guide.pdf',
    );
    const form = new FormData();
    form.set('file', new File([new Uint8Array(docx(['# Keys', 'The key box code is 1234.']))], 'keys.docx'));
    form.set('tags', 'access, keys');
    // Plain fetch: it sets the multipart boundary itself.
    const docxRes = await fetch(`${api.url}/v1/knowledge-sources/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.keys.admin}` },
      body: form,
    });
    expect([md.status, html.status, pdfRes.status, docxRes.status]).toEqual([201, 201, 201, 201]);
    await api.app.platform.jobs.drain();
    const byName = await sourcesByName();
    expect(byName['pets.md']).toMatchObject({
      status: 'ready',
      fileType: 'markdown',
      content: '# Pets\n\n- Dogs welcome\n- No cats',
    });
    expect(byName['parking.html']!.content).toMatch(/^#+ Parking\n\nFree parking/);
    expect(byName['parking.html']!.content).not.toMatch(/Menu|© 2026/);
    expect(byName['guide.pdf']).toMatchObject({ status: 'ready', fileType: 'pdf' });
    expect(byName['guide.pdf']!.content).toMatch(
      /Wi-Fi password is sunflower42[\s\S]*Breakfast from 7 to 10/,
    );
    expect(byName['keys.docx']).toMatchObject({
      status: 'ready',
      fileType: 'docx',
      content: '# Keys\n\nThe key box code is 1234.',
      tags: ['access', 'keys'],
    });
    for (const s of Object.values(byName)) expect(await chunkCount(s.id)).toBeGreaterThan(0);
  });
});

describe('Markdown front matter', () => {
  it('takes the title and description from it and leaves the site configuration out', async () => {
    const yaml = await upload(
      [
        '---',
        'title: "Managing your notifications"',
        'description: Choose where and how often you hear about activity.',
        'redirect_from:',
        '  - /old/notifications',
        'versions:',
        '  fpt: "*"',
        '---',
        '',
        '## Email or web',
        '',
        'Pick email, web or both for each kind of notification.',
      ].join('\n'),
      'notifications.md',
    );
    const toml = await upload(
      '+++\ntitle = "Dark theme"\nweight = 3\n+++\n\n# Appearance\n\nSwitch to the dark theme.',
      'theme.md',
    );
    const untitled = await upload(
      '---\nlayout: page\n---\n# Passwords\n\nReset it from the login page.',
      'pw.md',
    );
    expect([yaml.status, toml.status, untitled.status]).toEqual([201, 201, 201]);
    await api.app.platform.jobs.drain();
    const byName = await sourcesByName();
    expect(byName['notifications.md']).toMatchObject({
      status: 'ready',
      title: 'Managing your notifications',
      content:
        'Choose where and how often you hear about activity.\n\n## Email or web\n\nPick email, web or both for each kind of notification.',
    });
    expect(byName['theme.md']).toMatchObject({
      title: 'Dark theme',
      content: '# Appearance\n\nSwitch to the dark theme.',
    });
    expect(byName['pw.md']).toMatchObject({
      title: 'Passwords',
      content: '# Passwords\n\nReset it from the login page.',
    });
  });
});

describe('site-generator markup in Markdown', () => {
  it('stores the text without template directives; an admonition keeps its title', async () => {
    const res = await upload(
      [
        '# Star a topic',
        '',
        '{!star-topics-intro.md!}',
        '',
        '{start_tabs}',
        '',
        '{tab|desktop-web}',
        '',
        '1. Hover over the topic.',
        '{% if admin %}',
        '1. Click the star.',
        '',
        '{end_tabs}',
        '',
        '!!! tip ""',
        '    Starred topics are listed in the left sidebar.',
        '',
        ':::warning Only for members',
        'Guests cannot star topics.',
        ':::',
      ].join('\n'),
      'star.md',
    );
    expect(res.status).toBe(201);
    await api.app.platform.jobs.drain();
    const star = (await sourcesByName())['star.md']!;
    expect(star).toMatchObject({ status: 'ready', title: 'Star a topic' });
    expect(star.content).toBe(
      [
        '# Star a topic',
        '',
        '1. Hover over the topic.',
        '1. Click the star.',
        '',
        '    Starred topics are listed in the left sidebar.',
        '',
        'Only for members',
        'Guests cannot star topics.',
      ].join('\n'),
    );
  });
});

describe('batch upload (POST /v1/knowledge-sources/upload-batch)', () => {
  const batch = async (files: Array<[string, string | Buffer]>, extra: Record<string, string> = {}) => {
    const form = new FormData();
    for (const [name, body] of files) {
      form.append('file', new File([typeof body === 'string' ? body : new Uint8Array(body)], name));
    }
    for (const [k, v] of Object.entries(extra)) form.set(k, v);
    const res = await fetch(`${api.url}/v1/knowledge-sources/upload-batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.keys.admin}` },
      body: form,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('stores every document, in order, queued in one ingestion job', async () => {
    const before = (await sources()).length;
    const res = await batch(
      [
        ['towels.md', '# Towels\n\nFresh towels every second day.'],
        ['sauna.txt', 'The sauna is open from 4pm to 9pm.'],
        [
          'bikes.html',
          '<html><body><main><h1>Bikes</h1><p>Two bikes are free to borrow.</p></main></body></html>',
        ],
      ],
      { tags: 'amenities, batch', category: 'house' },
    );
    expect(res.status).toBe(201);
    const data = res.body.data as Array<Record<string, unknown>>;
    expect(data.map((s) => [s.fileName, s.status, s.tags, s.category])).toEqual([
      ['towels.md', 'queued', ['amenities', 'batch'], 'house'],
      ['sauna.txt', 'queued', ['amenities', 'batch'], 'house'],
      ['bikes.html', 'queued', ['amenities', 'batch'], 'house'],
    ]);
    expect(await api.app.platform.jobs.counts('knowledge.ingest')).toMatchObject({ created: 1 });
    await api.app.platform.jobs.drain();
    const rows = (await sources()).filter((s) => data.some((d) => d.id === s.id));
    expect(rows.map((s) => s.status)).toEqual(['ready', 'ready', 'ready']);
    expect((await sources()).length).toBe(before + 3);
  });

  it('refuses the whole batch for one bad file (naming it), a duplicate, or no file; stores nothing', async () => {
    const before = (await sources()).length;
    const bad = await batch([
      ['ok.md', '# Fine\n\nA perfectly good document.'],
      ['empty.txt', ''],
    ]);
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toBe('document 2 (empty.txt): the file is empty');
    const twice = await batch([
      ['a.md', '# Same\n\nThe same text.'],
      ['b.md', '# Same\n\nThe same text.'],
    ]);
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toMatch(/documents 1 and 2 have the same content/);
    const none = await batch([], { tags: 'x' });
    expect(none.status).toBe(422);
    expect(none.body.detail).toMatch(/send each document in a `file` field/);
    const tooBig = await batch([
      ['big-1.txt', 'a'.repeat(MAX / 2)],
      ['big-2.txt', 'b'.repeat(MAX / 2 + 70_000)],
    ]);
    expect(tooBig.status).toBe(413);
    expect((await sources()).length).toBe(before);
  });
});

describe('URLs', () => {
  it('refuses loopback and link-local (metadata) addresses by default, at creation (422): no source, no chunks', async () => {
    const count = async () =>
      (await withTenant(api.db, tenant.id, (tx) => tx.select().from(knowledgeSources))).length;
    const before = await count();
    for (const url of [`${localUrl}/faq`, 'http://169.254.169.254/latest/meta-data/']) {
      const res = await api.fetch('/v1/knowledge-sources', {
        method: 'POST',
        token: tenant.keys.admin,
        body: JSON.stringify({ kind: 'url', url }),
      });
      expect(res.status).toBe(422);
      const body = (await res.json()) as { errors: { path: string; message: string }[] };
      expect(body.errors).toEqual([
        { path: 'url', message: expect.stringMatching(/is .*a private or reserved address/) },
      ]);
    }
    expect(await count()).toBe(before);
  });

  const allowed = usePlatform(api, {
    FRONTDESK_ALLOW_PRIVATE_URLS: 'true',
    FRONTDESK_KB_FETCH_TIMEOUT_MS: '300',
  });
  it('fetches an allowed URL (main content), and fails one that times out', async () => {
    const p = allowed();
    const { createSource } = await import('../../src/domains/knowledge/ingest.js');
    const ok = await createSource(p, tenant.id, { kind: 'url', url: `${localUrl}/returns` });
    const slow = await createSource(p, tenant.id, { kind: 'url', url: `${localUrl}/slow` });
    expect(await ingestNow(p, tenant.id, ok.id)).toMatchObject({ chunks: expect.any(Number) });
    expect(await ingestNow(p, tenant.id, slow.id)).toEqual({ failed: expect.stringMatching(/timed out/) });
    const rows = Object.fromEntries((await sources()).map((s) => [s.id, s]));
    expect(rows[ok.id]).toMatchObject({ status: 'ready', title: 'Parcel FAQ' });
    expect(rows[ok.id]!.content).toMatch(/^#+ Returns\n\nYou can return/);
    expect(rows[ok.id]!.content).toMatch(
      /## Damaged parcels\n\n- Photograph the box\n- Report within 48 hours$/,
    );
    expect(rows[slow.id]).toMatchObject({ status: 'failed', error: expect.stringMatching(/timed out/) });
    expect(await chunkCount(slow.id)).toBe(0);
    await p.jobs.drain(); // the queued copies find nothing new to do
  });
});

describe('embedding provider failures fail the source with no chunks', () => {
  const env = (extra: Record<string, string>) => ({
    FRONTDESK_EMBEDDINGS: 'openai',
    FRONTDESK_EMBEDDINGS_URL: '',
    FRONTDESK_EMBEDDINGS_MODEL: 'text-embedding-3-small',
    FRONTDESK_EMBEDDINGS_API_KEY: 'sk-test-key',
    ...extra,
  });
  const wrongDims = usePlatform(api, env({ FRONTDESK_EMBEDDINGS_DIMENSIONS: '768' }));
  const failing = usePlatform(api, env({}));

  it('wrong dimensions, then errors', async () => {
    const { createSource } = await import('../../src/domains/knowledge/ingest.js');
    const config = (p: ReturnType<typeof wrongDims>) => ({
      ...p,
      config: { ...p.config, embeddings: { ...p.config.embeddings, url: fake.url } },
    });
    const a = config(wrongDims());
    const s1 = await createSource(a, tenant.id, {
      kind: 'text',
      title: 'A',
      content: 'Alpha text about refunds.',
    });
    expect(await ingestNow(a, tenant.id, s1.id)).toEqual({
      failed: expect.stringMatching(/384 dimensions; expected 768/),
    });
    const b = config(failing());
    fake.script.push({ status: 400, body: '{"error":{"message":"input is too long"}}' });
    const s2 = await createSource(b, tenant.id, {
      kind: 'text',
      title: 'B',
      content: 'Beta text about parcels.',
    });
    expect(await ingestNow(b, tenant.id, s2.id)).toEqual({
      failed: expect.stringMatching(/answered 400: input is too long/),
    });
    for (const id of [s1.id, s2.id]) {
      const [row] = await withTenant(api.db, tenant.id, (tx) =>
        tx.select().from(knowledgeSources).where(eq(knowledgeSources.id, id)),
      );
      expect(row).toMatchObject({ status: 'failed', chunkCount: 0 });
      expect(await chunkCount(id)).toBe(0);
    }
    await b.jobs.drain({ names: [] });
  });
});
