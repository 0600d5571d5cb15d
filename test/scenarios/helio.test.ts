/**
 * Customer success (helio, seed 002) end to end over Slack: the agent drafts every reply for a
 * human; the draft waits for approval and reaches the client only after it (as edited, when a
 * CSM edits it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/slack.js';
import type { TestTenant } from '../helpers/api.js';
import { addSlackChannel, call, get, settle, setUpResponder, slackSays, useScenario } from './scenario.js';

const { api, config, clock } = useScenario('2026-05-04T14:00:00Z');
const slack = new FakeSlack();
const SHARED = 'C0NORTHWIND';
let tenant: TestTenant;

beforeAll(async () => {
  await slack.start();
  config.providers.slack = slack.url;
  const setup = await setUpResponder(
    api,
    {
      type: 'success',
      confidenceThreshold: 0.7,
      escalationCategories: ['churn_risk', 'tension'],
      escalationConfig: { approval: 'always' },
    },
    [
      [
        'How do I set up SSO?',
        'SSO with SAML is under Settings → Security → Single sign-on; upload your IdP metadata XML.',
      ],
      ['What are the API rate limits?', 'The API allows 600 requests per minute per workspace.'],
    ],
  );
  tenant = setup.tenant;
  await addSlackChannel(api, tenant.id, slack, setup.agentId);
});
afterAll(() => slack.close());

const say = (user: string, text: string) => slackSays(api, slack, clock, user, SHARED, text);

const pending = async () =>
  (await get(api, tenant.keys.viewer, '/v1/approvals?status=pending')).data as Array<Record<string, unknown>>;

describe('helio: customer-success drafts', () => {
  it('a draft waits for approval and is sent only after it', async () => {
    await say('U0LEE', 'How do I set up SSO for our team?');
    const [draft] = await pending();
    expect(draft).toMatchObject({ action: 'send_reply', status: 'pending' });
    expect(draft!.draftContent).toContain('Single sign-on');
    expect(slack.sent).toHaveLength(0);

    clock.advance(10 * 60_000);
    await settle(api);
    expect(slack.sent).toHaveLength(0);

    await call(api, tenant.keys.agent, 'POST', `/v1/approvals/${draft!.id}/approve`, {
      comment: 'Looks right',
    });
    await settle(api);
    expect(slack.sent).toHaveLength(1);
    expect(slack.sent[0]).toMatchObject({ channel: SHARED, text: draft!.draftContent });
    const approval = await get(api, tenant.keys.viewer, `/v1/approvals/${draft!.id}`);
    expect(approval).toMatchObject({ status: 'approved', comment: 'Looks right' });
  });

  it('an edited draft is sent as edited; a rejected one is never sent', async () => {
    await say('U0KIM', 'What are the API rate limits?');
    const [edit] = await pending();
    await call(api, tenant.keys.agent, 'POST', `/v1/approvals/${edit!.id}/edit`, {
      editedContent:
        'Hi Kim! The API allows 600 requests per minute per workspace; ping me if you need more.',
    });
    await settle(api);
    expect(slack.sent.at(-1)!.text).toMatch(/^Hi Kim!/);

    const before = slack.sent.length;
    await say('U0KIM', 'And how do I set up SSO?');
    const [reject] = await pending();
    await call(api, tenant.keys.agent, 'POST', `/v1/approvals/${reject!.id}/reject`, {
      comment: 'I will call her',
    });
    await settle(api);
    expect(slack.sent).toHaveLength(before);
  });
});
