/** Sources left `queued` without a job (a crash before the send, or a direct insert) get ingested. */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { REQUEUE_JOB } from '../../src/domains/knowledge/jobs.js';
import { knowledgeChunks, knowledgeSources } from '../../src/domains/knowledge/tables.js';
import { ManualClock } from '../../src/platform/clock.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { makeTenant, useTestApi } from '../helpers/api.js';

const clock = new ManualClock(new Date());
const api = useTestApi({ clock });

describe('stranded sources', () => {
  it('are queued again once they have waited two minutes, and ingested once', async () => {
    const tenant = await makeTenant(api.db);
    const [source] = await withTenant(api.db, tenant.id, (tx) =>
      tx
        .insert(knowledgeSources)
        .values({
          tenantId: tenant.id,
          kind: 'article',
          title: 'Opening hours',
          content: '# Opening hours\n\nThe depot is open from 8:00 to 18:00 on weekdays.',
        })
        .returning(),
    );
    const jobs = api.app.platform.jobs;
    await jobs.send(REQUEUE_JOB, {});
    await jobs.drain();
    const status = async () =>
      (
        await withTenant(api.db, tenant.id, (tx) =>
          tx.select().from(knowledgeSources).where(eq(knowledgeSources.id, source!.id)),
        )
      )[0]!.status;
    expect(await status()).toBe('queued'); // too recent: its own job may still be coming

    clock.advance(3 * 60_000);
    await jobs.send(REQUEUE_JOB, {});
    await jobs.drain();
    expect(await status()).toBe('ready');
    const chunks = await withTenant(api.db, tenant.id, (tx) =>
      tx.select().from(knowledgeChunks).where(eq(knowledgeChunks.sourceId, source!.id)),
    );
    expect(chunks.length).toBeGreaterThan(0);

    await jobs.send(REQUEUE_JOB, {});
    expect(await jobs.drain()).toBe(1); // only the tick itself: nothing is stranded any more
  });
});
