import { describe, expect, it } from 'vitest';
import { useResourceApi } from '../../../test/helpers/resource-api.js';

const { call, expectProblem, fromExample, lifecycle } = useResourceApi({
  tenants: { '': ['viewer', 'agent', 'admin'], 'other-': ['admin'] },
});

describe('coaching', () => {
  it('campaigns (admin)', async () => {
    const campaign = await lifecycle('campaigns', 'status', { status: 'closed', resultsDisclosure: 'none' });
    expect(campaign).toMatchObject({ assessmentType: 'industry4', createdBy: null });
    expectProblem(
      await call('admin', 'POST', '/campaigns', {
        name: 'x',
        startsAt: '2026-05-01T00:00:00Z',
        endsAt: '2026-04-01T00:00:00Z',
      }),
      422,
    );
  });

  it('participants (agent)', async () => {
    const p = await lifecycle('participants', 'campaignId', { name: 'Priya N.' });
    expect(p.clientStatus).toBe('registered');
  });

  it('participants move through the pipeline with set-status, not with PATCH', async () => {
    const campaign = (await fromExample('campaigns')).body;
    const made = await call('agent', 'POST', '/participants', {
      campaignId: campaign.id,
      email: 'lee@northwind.example',
    });
    expect(made.status).toBe(201);
    const id = made.body.id;
    expect(
      (await call('agent', 'PATCH', `/participants/${id}`, { clientStatus: 'converted' })).body.clientStatus,
    ).toBe('registered');
    const started = await call('agent', 'POST', `/participants/${id}/set-status`, {
      clientStatus: 'started',
    });
    expect(started.body.clientStatus).toBe('started');
    expect(started.body.startedAt).toBeTruthy();
    const completed = await call('agent', 'POST', `/participants/${id}/set-status`, {
      clientStatus: 'completed',
    });
    expect(completed.body).toMatchObject({ clientStatus: 'completed', startedAt: started.body.startedAt });
    expect(completed.body.completedAt).toBeTruthy();
    const converted = await call('agent', 'POST', `/participants/${id}/set-status`, {
      clientStatus: 'converted',
    });
    expect(converted.body).toMatchObject({
      clientStatus: 'converted',
      completedAt: completed.body.completedAt,
    });
    expectProblem(
      await call('agent', 'POST', `/participants/${id}/set-status`, { clientStatus: 'hired' }),
      422,
    );
    expectProblem(
      await call('viewer', 'POST', `/participants/${id}/set-status`, { clientStatus: 'archived' }),
      403,
    );
    expectProblem(
      await call('other-admin', 'POST', `/participants/${id}/set-status`, { clientStatus: 'archived' }),
      404,
    );
    const list = await call(
      'viewer',
      'GET',
      `/participants?campaignId=${campaign.id}&clientStatus=converted`,
    );
    expect(list.body.data.map((r: { id: string }) => r.id)).toEqual([id]);
    // One registration per campaign and email, whatever the case.
    expectProblem(
      await call('agent', 'POST', '/participants', {
        campaignId: campaign.id,
        email: 'LEE@northwind.example',
      }),
      409,
    );
  });
});
