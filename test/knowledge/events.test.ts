/** Ingestion tells subscribed webhook endpoints when a source is ready or failed. */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createSource } from '../../src/domains/knowledge/ingest.js';
import { failSource } from '../../src/domains/knowledge/ingest-write.js';
import { webhookDeliveries, webhookEndpoints } from '../../src/domains/ops/webhooks.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { makeTenant, useTestApi } from '../helpers/api.js';

const api = useTestApi();

describe('knowledge source events', () => {
  it('records knowledge_source.ready and knowledge_source.failed deliveries for subscribed endpoints', async () => {
    const tenant = await makeTenant(api.db);
    const [endpoint] = await withTenant(api.db, tenant.id, (tx) =>
      tx
        .insert(webhookEndpoints)
        .values({
          tenantId: tenant.id,
          url: 'https://hooks.example/frontdesk',
          events: ['knowledge_source.ready', 'knowledge_source.failed'],
          secret: Buffer.from('a'.repeat(32)).toString('base64'),
        })
        .returning(),
    );
    const platform = api.app.platform;
    const ready = await createSource(platform, tenant.id, {
      kind: 'text',
      title: 'Returns',
      content: '# Returns\n\nParcels can be returned within 30 days at any pickup point.',
    });
    await platform.jobs.drain({ names: ['knowledge.ingest'] });

    const deliveries = () =>
      withTenant(api.db, tenant.id, (tx) =>
        tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint!.id)),
      );
    expect((await deliveries()).map((d) => [d.eventType, (d.payload.data as { id: string }).id])).toEqual([
      ['knowledge_source.ready', ready.id],
    ]);

    await failSource(platform, tenant.id, ready.id, 'the embedding provider answered 500');
    const types = (await deliveries()).map((d) => d.eventType).sort();
    expect(types).toEqual(['knowledge_source.failed', 'knowledge_source.ready']);
  });
});
