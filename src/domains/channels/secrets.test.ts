/**
 * Channel credentials stay out of logs: the logger redacts `secrets` objects and the credential
 * names providers use, wherever they sit in a logged object.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.js';

describe('channel secrets in logs', () => {
  it('are redacted up to two levels deep (a channel row logged inside a job or request object)', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger('info', sink as never);
    const secrets = { authToken: 'tok-1', botToken: 'tok-2', signingSecret: 'tok-3' };
    logger.info({ secrets, channel: { id: 'c1', secrets }, job: { channel: { secrets } } }, 'x');
    logger.info(
      {
        twilio: { authToken: 'tok-4', sharedKeySecret: 'tok-10' },
        meta: {
          appSecret: 'tok-5',
          webhookSecret: 'tok-6',
          accessToken: 'tok-7',
          signingKey: 'tok-8',
          verifyToken: 'tok-9',
        },
      },
      'y',
    );
    const out = lines.join('');
    expect(out).toContain('"c1"');
    for (let i = 1; i <= 10; i++) expect(out).not.toContain(`tok-${i}`);
  });
});
