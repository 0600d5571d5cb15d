import { describe, expect, it } from 'vitest';
import { useResourceApi } from '../../../test/helpers/resource-api.js';

const { call, expectProblem, fromExample, lifecycle } = useResourceApi({
  tenants: { '': ['viewer', 'agent', 'admin'], 'other-': ['admin'] },
});

describe('customer success resources', () => {
  it('contracts', async () => {
    await lifecycle('contracts', 'accountId', { status: 'terminated', arrCents: 0 });
    expectProblem(
      await call('agent', 'POST', '/contracts', { startDate: '2026-03-01', endDate: '2026-02-01' }),
      422,
    );
  });

  it('entitlements', async () => {
    await lifecycle('entitlements', 'contractId', { quantity: 30 });
    const contract = (await fromExample('contracts')).body;
    expectProblem(
      await call('agent', 'POST', '/entitlements', { contractId: contract.id, name: 'x', quantity: -1 }),
      422,
    );
    // A contract of another tenant cannot be referenced.
    expectProblem(
      await call('other-admin', 'POST', '/entitlements', { contractId: contract.id, name: 'Seats' }),
      422,
    );
  });

  it('meetings', async () => {
    await lifecycle('meetings', 'accountId', { status: 'completed', durationMinutes: 50 });
  });

  it('transcripts', async () => {
    await lifecycle('transcripts', 'meetingId', { wordCount: 5_200 });
  });

  it('insights', async () => {
    const insight = await lifecycle('insights', 'type', { status: 'done' });
    expect(insight).toMatchObject({ source: 'meeting', importance: 'high', dueDate: '2026-04-21' });
    expectProblem(
      await call('agent', 'POST', '/insights', { source: 'meeting', type: 'rumour', content: 'x' }),
      422,
    );
  });

  it('training modules (admin)', async () => {
    await lifecycle('training-modules', 'category', { isActive: false, level: 'advanced' });
  });

  it('training progress: completion needs completed_at', async () => {
    const progress = await lifecycle('training-progress', 'moduleId', { progress: 80 });
    expect(progress).toMatchObject({ status: 'in_progress', progress: 40 });
    const made = (await fromExample('training-progress')).body;
    expectProblem(
      await call('agent', 'PATCH', `/training-progress/${made.id}`, { status: 'completed' }),
      422,
    );
    const done = await call('agent', 'PATCH', `/training-progress/${made.id}`, {
      status: 'completed',
      progress: 100,
      completedAt: '2026-03-20T10:00:00Z',
    });
    expect(done.body).toMatchObject({ status: 'completed', completedAt: '2026-03-20T10:00:00.000Z' });
    expectProblem(await call('agent', 'PATCH', `/training-progress/${made.id}`, { progress: 101 }), 422);
  });
});
