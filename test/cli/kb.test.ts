/** `frontdesk kb ingest` and `frontdesk kb search` as an operator runs them, on an embedded data folder. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';

vi.setConfig({ testTimeout: 240_000 });

const dir = mkdtempSync(join(tmpdir(), 'frontdesk-kb-cli-'));
const env = { FRONTDESK_DATA_DIR: join(dir, 'data') };
const cli = (...args: string[]) => runCli(args, env);

describe('frontdesk kb', () => {
  it('ingests a file, refuses it twice, and searches it', async () => {
    expect((await cli('tenants', 'create', '--slug', 'shop', '--name', 'Shop')).code).toBe(0);
    const file = join(dir, 'returns.md');
    writeFileSync(
      file,
      '# Returns\n\nReturn any item within 30 days.\n\n# Damage\n\nReport damaged parcels within 48 hours.\n',
    );

    const ingested = await cli('kb', 'ingest', file, '--tenant', 'shop', '--tags', 'returns');
    expect(ingested.stderr).toBe(''); // not a terminal: no progress bar
    expect(ingested.stdout).toMatch(
      /^ingested .*returns\.md as "Returns": 2 chunks \(source [0-9a-f-]{36}\)\n$/,
    );
    expect(ingested.code).toBe(0);

    const again = await cli('kb', 'ingest', file, '--tenant', 'shop');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/the same content is already ingested as source/);

    const found = await cli(
      'kb',
      'search',
      'damaged parcels',
      '--tenant',
      'shop',
      '--mode',
      'keyword',
      '--k',
      '1',
      '--json',
    );
    expect(found.code).toBe(0);
    const body = JSON.parse(found.stdout);
    expect(body).toMatchObject({ mode: 'keyword', tier: 'exact' });
    expect(body.results).toHaveLength(1);
    expect(body.results[0]).toMatchObject({ headingPath: ['Damage'], sourceTitle: 'Returns' });

    const text = await cli('kb', 'search', 'return within 30 days', '--tenant', 'shop');
    expect(text.stdout).toMatch(
      /^2 results \(hybrid, exact search\)\n\n1\. Returns › Returns {2}\[score [\d.]+, chars 0–/,
    );
  });

  it('ingests several files at once, all or none', async () => {
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const a = write('hours.md', '# Hours\n\nOpen 9 to 5 on weekdays.\n');
    const b = write('shipping.md', '# Shipping\n\nParcels leave the warehouse daily at noon.\n');
    const copy = write('hours-copy.md', '# Hours\n\nOpen 9 to 5 on weekdays.\n');

    // A duplicate inside the batch refuses the whole batch: nothing is added.
    const refused = await cli('kb', 'ingest', b, copy, a, '--tenant', 'shop');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/documents 2 and 3 have the same content/);
    const none = await cli('kb', 'search', 'parcels leave at noon', '--tenant', 'shop', '--json');
    expect(JSON.parse(none.stdout).results.map((r: { sourceTitle: string }) => r.sourceTitle)).not.toContain(
      'Shipping',
    );

    const ingested = await cli('kb', 'ingest', a, b, '--tenant', 'shop');
    expect(ingested.code).toBe(0);
    expect(ingested.stdout).toMatch(
      /^ingested .*hours\.md as "Hours": 1 chunks \(source [0-9a-f-]{36}\)\ningested .*shipping\.md as "Shipping": 1 chunks/,
    );
    const found = await cli('kb', 'search', 'parcels leave at noon', '--tenant', 'shop', '--json');
    expect(JSON.parse(found.stdout).results[0]).toMatchObject({ sourceTitle: 'Shipping' });
  });

  it('answers bad usage with exit code 2 and a clear message', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['kb', 'ingest', 'x.md'], /Usage:/],
      [
        ['kb', 'search', 'q', '--tenant', 'shop', '--mode', 'magic'],
        /--mode must be one of vector, keyword, hybrid/,
      ],
      [['kb', 'search', 'q', '--tenant', 'shop', '--k', '0'], /--k must be a whole number from 1 to 50/],
      [['kb', 'search', 'q', '--tenant', 'nobody'], /no tenant with slug "nobody"/],
      [['kb', 'ingest', join(dir, 'missing.md'), '--tenant', 'shop'], /no such file: .*missing\.md/],
      [
        ['kb', 'ingest', 'a.md', 'b.md', '--tenant', 'shop', '--title', 'T'],
        /--title needs a single document/,
      ],
    ];
    for (const [args, message] of cases) {
      const res = await cli(...args);
      expect({ args, code: res.code, stderr: res.stderr }).toMatchObject({
        args,
        code: 2,
        stderr: expect.stringMatching(message),
      });
    }
  });
});
