/**
 * `frontdesk` runs the prebuilt bundle (dist/server, scripts/build-server.ts) only while it is
 * current, and the bundle and the sources answer alike.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseEntry } from '../../bin/entry.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'frontdesk-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fake checkout: src/ with one nested file, and a bundle `ageSeconds` older or newer. */
function checkout(name: string, bundleOffsetSeconds: number | undefined) {
  const sources = join(dir, name, 'src');
  mkdirSync(join(sources, 'deep', 'er'), { recursive: true });
  const file = join(sources, 'deep', 'er', 'module.ts');
  writeFileSync(file, 'export {};\n');
  const now = Date.now() / 1000;
  utimesSync(file, now, now);
  const bundle = join(dir, name, 'main.mjs');
  if (bundleOffsetSeconds !== undefined) {
    writeFileSync(bundle, '');
    utimesSync(bundle, now + bundleOffsetSeconds, now + bundleOffsetSeconds);
  }
  return { sources, bundle };
}

describe('which code frontdesk runs', () => {
  it('runs a bundle newer than every source file', () => {
    expect(chooseEntry({ ...checkout('fresh', 60), env: {} })).toBe('bundle');
  });

  it('runs the sources when a file in src/ (at any depth) changed after the build', () => {
    expect(chooseEntry({ ...checkout('stale', -60), env: {} })).toBe('source');
  });

  it('runs the sources without a build, or when FRONTDESK_FROM_SOURCE=1', () => {
    expect(chooseEntry({ ...checkout('none', undefined), env: {} })).toBe('source');
    expect(chooseEntry({ ...checkout('forced', 60), env: { FRONTDESK_FROM_SOURCE: '1' } })).toBe('source');
  });
});

describe('the bundle and the sources answer alike', () => {
  it('prints the same help, and the same usage error, either way', async () => {
    // CI builds the bundle at `npm ci`; in an edited checkout it is stale and both runs use tsx.
    const runs = { bundle: chooseEntry(), source: 'source' };
    const help = await Promise.all([
      runCli(['--help'], {}),
      runCli(['--help'], { FRONTDESK_FROM_SOURCE: '1' }),
    ]);
    expect(help[0].code, JSON.stringify(runs)).toBe(0);
    expect(help[0].stdout).toContain('migrate');
    expect(help[0].stdout).toBe(help[1].stdout);
    const bad = await Promise.all([runCli(['nope'], {}), runCli(['nope'], { FRONTDESK_FROM_SOURCE: '1' })]);
    expect(bad[0].code).toBe(2);
    expect(bad[0].stderr).toBe(bad[1].stderr);
  });
});
