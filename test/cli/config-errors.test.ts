/** A bad configuration gives one clear message naming the variable, a non-zero exit, and no password. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'frontdesk-config-'));

describe('configuration errors', () => {
  it.each([
    ['abc', /PORT: must be a number/],
    ['70000', /PORT: must be between 0 and 65535/],
    ['80.5', /PORT: must be a whole number/],
  ])('PORT=%s', async (port, message) => {
    const r = await runCli(['start'], { PORT: port, FRONTDESK_DATA_DIR: join(scratch, 'unused') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(2);
  });

  it('LOG_LEVEL outside the known levels', async () => {
    const r = await runCli(['doctor'], { LOG_LEVEL: 'loud' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/LOG_LEVEL/);
  });

  it('an unreachable DATABASE_URL, without its password', async () => {
    const r = await runCli(['start'], { DATABASE_URL: 'postgres://alice:s3cr3t-pw@127.0.0.1:1/frontdesk' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /DATABASE_URL: cannot connect to postgres:\/\/alice:\*\*\*@127\.0\.0\.1:1\/frontdesk/,
    );
    expect(r.stderr + r.stdout).not.toContain('s3cr3t-pw');
  });

  it('a DATABASE_URL that is not a postgres URL, without echoing it', async () => {
    const r = await runCli(['start'], { DATABASE_URL: 'mysql://bob:pw-123@localhost/x' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(r.stderr).not.toContain('pw-123');
  });

  it('a data folder that cannot be written', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'not a folder');
    const r = await runCli(['start'], { FRONTDESK_DATA_DIR: join(file, 'data'), PORT: '0' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/FRONTDESK_DATA_DIR: cannot use .*a-file\/data as the data folder \(ENOTDIR\)/);
  });

  it('an unknown command prints the usage', async () => {
    const r = await runCli(['frobnicate'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
    expect(r.stderr).toMatch(/doctor/);
  });
});
