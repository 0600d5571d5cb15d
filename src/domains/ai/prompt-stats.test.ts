/** Prompt versions over the API: per-version figures from real responder runs, and rollback. */
import { describe, expect, it } from 'vitest';
import { makeTenant, useTestApi } from '../../../test/helpers/api.js';
import { addFaq, inbound, makeAgent, openConversation } from '../../../test/helpers/responder.js';
import { ManualClock } from '../../platform/clock.js';

const clock = new ManualClock('2026-07-01T10:00:00Z');
const api = useTestApi({ clock });

describe('prompt versions: figures and rollback', () => {
  it('counts each version’s answers, hand-offs, escalations and model calls, and rolls back to the previous version', async () => {
    const tenant = await makeTenant(api.db);
    const setup = await makeAgent(api.db, tenant.id);
    await addFaq(api.db, tenant.id, [['Where can I park?', 'Free parking is in the garage, space 12.']]);
    const jobs = api.app.platform.jobs;
    const say = async (conversationId: string, text: string) => {
      const messageId = await inbound(api.db, tenant.id, conversationId, text, clock.now());
      await jobs.send('responder.reply', { tenantId: tenant.id, messageId });
      await jobs.drain();
    };
    await say(await openConversation(api.db, tenant.id, setup.channelId), 'Where can I park?');
    await say(await openConversation(api.db, tenant.id, setup.channelId), 'The kitchen is flooded!');
    await say(await openConversation(api.db, tenant.id, setup.channelId), 'Can you recommend a dentist?');

    const admin = { token: tenant.keys.admin };
    const created = await api.fetch('/v1/prompt-versions', {
      ...admin,
      method: 'POST',
      body: JSON.stringify({
        agentId: setup.agentId,
        content: 'You are the concierge, v2: shorter answers.',
      }),
    });
    const v2 = (await created.json()) as { id: string };
    expect(
      (await api.fetch(`/v1/prompt-versions/${v2.id}/publish`, { ...admin, method: 'POST' })).status,
    ).toBe(200);
    await say(await openConversation(api.db, tenant.id, setup.channelId), 'Where can I park?');

    const stats = async (id: string) =>
      (await (
        await api.fetch(`/v1/prompt-versions/${id}/stats`, { token: tenant.keys.viewer })
      ).json()) as Record<string, unknown>;
    const first = await stats(setup.promptVersionId);
    expect(first).toMatchObject({
      version: 1,
      isPublished: false,
      answersSent: 1,
      handoffs: 1,
      escalations: 1,
      drafts: 0,
      modelCalls: 2,
    });
    expect(first.averageConfidence).toEqual(expect.any(Number));
    expect(first.tokensTotal).toEqual(expect.any(Number));
    expect(await stats(v2.id)).toMatchObject({
      version: 2,
      isPublished: true,
      answersSent: 1,
      modelCalls: 1,
    });

    // Rollback: v2 steps down, v1 is live again.
    const rolled = await api.fetch(`/v1/prompt-versions/${v2.id}/rollback`, { ...admin, method: 'POST' });
    expect(rolled.status).toBe(200);
    expect(await rolled.json()).toMatchObject({ isPublished: false });
    expect(await stats(setup.promptVersionId)).toMatchObject({ isPublished: true });
    // Only the published version rolls back, and only when there is an earlier one.
    expect(
      (await api.fetch(`/v1/prompt-versions/${v2.id}/rollback`, { ...admin, method: 'POST' })).status,
    ).toBe(409);
    const none = await api.fetch(`/v1/prompt-versions/${setup.promptVersionId}/rollback`, {
      ...admin,
      method: 'POST',
    });
    expect(none.status).toBe(409);
    expect(await stats(setup.promptVersionId)).toMatchObject({ isPublished: true });
    // Agents may not roll back; another tenant sees nothing.
    expect(
      (await api.fetch(`/v1/prompt-versions/${v2.id}/rollback`, { token: tenant.keys.agent, method: 'POST' }))
        .status,
    ).toBe(403);
    const other = await makeTenant(api.db);
    expect((await api.fetch(`/v1/prompt-versions/${v2.id}/stats`, { token: other.keys.viewer })).status).toBe(
      404,
    );
    expect(
      (await api.fetch('/v1/prompt-versions/not-a-uuid/stats', { token: tenant.keys.viewer })).status,
    ).toBe(422);
  });
});
