/**
 * The reply jobs of a burst, triaged together (triage.ts): the messages no agent answers get the
 * decision and the widget notice the single path gives them, in bulk; every other message is
 * answered as on its own.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { makeTenant, useTestApi } from '../../../../test/helpers/api.js';
import { addFaq, inbound, makeAgent, openConversation } from '../../../../test/helpers/responder.js';
import { ManualClock } from '../../../platform/clock.js';
import { withTenant } from '../../../platform/db/tenant.js';
import { channels, widgetSettings } from '../../channels/tables.js';
import { messages } from '../../conversations/threads.js';
import { responderDeps } from './deps.js';
import { NO_AGENT, replyToMessage } from './reply.js';
import { replyToMessages } from './triage.js';

const clock = new ManualClock('2026-07-01T10:00:00Z');
const api = useTestApi({ clock });
const HANDOFF = 'Someone from our team will reply here soon.';

/** A tenant no agent answers: a widget channel with a hand-off message, and an SMS channel. */
async function humanOnlyTenant() {
  const tenant = await makeTenant(api.db);
  const [widget, sms] = await withTenant(api.db, tenant.id, async (tx) => {
    await tx.insert(widgetSettings).values({ tenantId: tenant.id, behavior: { handoffMessage: HANDOFF } });
    return tx
      .insert(channels)
      .values([
        { tenantId: tenant.id, kind: 'widget', name: 'Help', widgetKey: `wk_${tenant.slug}` },
        { tenantId: tenant.id, kind: 'sms', name: 'Line' },
      ])
      .returning();
  });
  return { tenant, widgetId: widget!.id, smsId: sms!.id };
}

const rowsOf = (tenantId: string, ids: string[]) =>
  withTenant(api.db, tenantId, (tx) => tx.select().from(messages).where(inArray(messages.id, ids)));
const decisionOf = async (tenantId: string, id: string) =>
  (await rowsOf(tenantId, [id]))[0]!.metadata.responder as Record<string, unknown> | undefined;
const assistantTexts = (tenantId: string, conversationId: string) =>
  withTenant(api.db, tenantId, (tx) =>
    tx
      .select({ content: messages.content })
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), eq(messages.role, 'assistant'))),
  ).then((rows) => rows.map((r) => r.content));

describe('reply jobs triaged in a batch', () => {
  it('decides the messages no agent answers together, as the single path does, and answers the rest', async () => {
    const platform = api.app.platform;
    const deps = responderDeps(platform.config);
    const human = await humanOnlyTenant();
    const widgetChat = await openConversation(api.db, human.tenant.id, human.widgetId);
    const smsChat = await openConversation(api.db, human.tenant.id, human.smsId);
    const at = clock.now();
    const first = await inbound(api.db, human.tenant.id, widgetChat, 'Do you ship to Norway?', at);
    const second = await inbound(api.db, human.tenant.id, widgetChat, 'Hello?', at);
    const bySms = await inbound(api.db, human.tenant.id, smsChat, 'Are you open today?', at);

    // The same decision through the single path, for comparison.
    const alone = await inbound(api.db, human.tenant.id, smsChat, 'One more thing', at);
    expect(await replyToMessage(platform, deps, human.tenant.id, alone)).toEqual({
      kind: 'ignored',
      reason: NO_AGENT,
    });
    const single = await decisionOf(human.tenant.id, alone);

    // A tenant with an agent: its message is answered as on its own.
    const served = await makeTenant(api.db);
    const setup = await makeAgent(api.db, served.id);
    await addFaq(api.db, served.id, [['What time is check-in?', 'Check-in is from 3pm.']]);
    const servedChat = await openConversation(api.db, served.id, setup.channelId);
    const question = await inbound(api.db, served.id, servedChat, 'What time is check-in?', at);

    clock.advance(60_000);
    await replyToMessages(platform, deps, [
      { tenantId: human.tenant.id, messageId: first },
      { tenantId: served.id, messageId: question },
      { tenantId: human.tenant.id, messageId: second },
      { tenantId: human.tenant.id, messageId: bySms },
      { tenantId: human.tenant.id, messageId: alone }, // decided already: left as it is
    ]);

    const { at: _at, ...decided } = single!;
    for (const id of [first, second, bySms])
      expect(await decisionOf(human.tenant.id, id)).toEqual({ ...decided, at: clock.now().toISOString() });
    expect(await decisionOf(human.tenant.id, alone)).toEqual(single);
    // One notice to the widget visitor who wrote twice, none on SMS (as the single path).
    expect(await assistantTexts(human.tenant.id, widgetChat)).toEqual([HANDOFF]);
    expect(await assistantTexts(human.tenant.id, smsChat)).toEqual([]);
    expect(await decisionOf(served.id, question)).toMatchObject({ kind: 'sent' });
    expect(await assistantTexts(served.id, servedChat)).toHaveLength(1);
  });

  it('leaves a message to its agent when only the tenant has one (the fallback agent answers)', async () => {
    const platform = api.app.platform;
    const human = await humanOnlyTenant();
    await makeAgent(api.db, human.tenant.id); // an active agent, on a channel of its own
    const chat = await openConversation(api.db, human.tenant.id, human.smsId);
    const id = await inbound(api.db, human.tenant.id, chat, 'Anyone there?', clock.now());
    await replyToMessages(platform, responderDeps(platform.config), [
      { tenantId: human.tenant.id, messageId: id },
    ]);
    expect(await decisionOf(human.tenant.id, id)).not.toMatchObject({ reason: NO_AGENT });
    expect(await decisionOf(human.tenant.id, id)).toHaveProperty('kind');
  });
});
