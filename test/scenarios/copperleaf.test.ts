/**
 * Agency (copperleaf, seed 000) end to end over Slack: an angry message from a client opens a
 * high-severity tension escalation and an alert in the agency's alert channel; a neutral
 * question opens none and is answered in the client's thread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, contactIdentities, contacts } from '../../src/domains/crm/tables.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { FakeSlack } from '../fakes/slack.js';
import type { TestTenant } from '../helpers/api.js';
import { addSlackChannel, get, setUpResponder, slackSays, useScenario } from './scenario.js';

const { api, config, clock } = useScenario('2026-03-10T15:00:00Z');
const slack = new FakeSlack();
const CLIENT_CHANNEL = 'C0ACMECLIENT';
const ALERTS = 'C0ALERTS';
let tenant: TestTenant;

beforeAll(async () => {
  await slack.start();
  config.providers.slack = slack.url;
  const setup = await setUpResponder(
    api,
    {
      confidenceThreshold: 0.75,
      escalationCategories: ['tension', 'sla_breach', 'churn_risk', 'emergency', 'refund', 'complaint'],
      escalationConfig: { slackAlerts: { to: ALERTS } },
    },
    [
      [
        'When do we get the monthly report?',
        'Monthly performance reports are sent on the 3rd business day of each month.',
      ],
    ],
  );
  tenant = setup.tenant;
  const channel = await addSlackChannel(api, tenant.id, slack, setup.agentId);
  await withTenant(api.db, tenant.id, async (tx) => {
    const [account] = await tx
      .insert(accounts)
      .values({ tenantId: tenant.id, name: 'Acme Corp' })
      .returning();
    const [dana] = await tx
      .insert(contacts)
      .values({ tenantId: tenant.id, name: 'Dana (Acme)', accountId: account!.id })
      .returning();
    await tx
      .insert(contactIdentities)
      .values({ tenantId: tenant.id, contactId: dana!.id, channelId: channel.id, externalUserId: 'U0DANA' });
  });
});
afterAll(() => slack.close());

const say = (text: string) => slackSays(api, slack, clock, 'U0DANA', CLIENT_CHANNEL, text);

const tensionEscalations = async () =>
  (await get(api, tenant.keys.viewer, '/v1/escalations?type=tension')).data as Array<Record<string, unknown>>;

describe('copperleaf: clients on Slack', () => {
  it('an angry client message opens a high-severity tension escalation and an alert in the alerts channel, and gets no AI reply', async () => {
    await say('This is ridiculous, you missed the deadline AGAIN and nobody has responded to my emails');
    const open = await tensionEscalations();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ type: 'tension', severity: 'high', status: 'open' });
    expect(open[0]!.accountId).toEqual(expect.any(String));
    expect(open[0]!.sentiment).toMatchObject({ label: 'negative', tension: 'high' });
    expect(slack.sent.filter((m) => m.channel === CLIENT_CHANNEL)).toHaveLength(0);
    const alerts = slack.sent.filter((m) => m.channel === ALERTS);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toMatch(/HIGH tension/);
  });

  it('a neutral message opens no escalation and is answered in the client’s thread', async () => {
    clock.advance(60_000);
    const ts = await say('Hi team, when do we get the monthly report?');
    expect(await tensionEscalations()).toHaveLength(1);
    const replies = slack.sent.filter((m) => m.channel === CLIENT_CHANNEL);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain('3rd business day');
    expect(replies[0]!.thread_ts).toBe(ts);
  });
});
