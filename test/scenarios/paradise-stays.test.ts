/**
 * Hospitality (paradise-stays, seed 003) end to end: a guest texting through Twilio at 23:00 in
 * the property's time zone gets the FAQ answer at 08:00, when quiet hours end; a guest reporting
 * a water leak gets no AI reply but an emergency escalation, a webhook notification and nothing
 * sent by the AI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../src/domains/channels/tables.js';
import { contactIdentities, contacts } from '../../src/domains/crm/tables.js';
import { properties, reservations } from '../../src/domains/hospitality/tables.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { FakeTwilio } from '../fakes/twilio.js';
import type { TestTenant } from '../helpers/api.js';
import {
  call,
  dispatchWebhooks,
  get,
  settle,
  setUpResponder,
  startHookReceiver,
  tick,
  useScenario,
} from './scenario.js';

const { api, config, clock } = useScenario('2026-07-01T16:00:00Z', { FRONTDESK_ALLOW_PRIVATE_URLS: 'true' });
const twilio = new FakeTwilio();
const NUMBER = '+15550100777';
const GUEST = '+15550144444';
let hooks: Awaited<ReturnType<typeof startHookReceiver>>;
let tenant: TestTenant;

const FAQ: Array<[string, string]> = [
  [
    'What time is check-in?',
    'Check-in is from 3pm; your door code arrives by text on the morning of arrival.',
  ],
  [
    'What is the wifi password?',
    'The wifi network is ParadiseGuest and the password is on the card on the fridge.',
  ],
  ['Where can I park?', 'Free parking is in the garage under the building, space 12.'],
];

beforeAll(async () => {
  await twilio.start();
  config.providers.twilio = twilio.url;
  hooks = await startHookReceiver();
  const setup = await setUpResponder(
    api,
    {
      quietHoursStart: '22:00',
      quietHoursEnd: '08:00',
      confidenceThreshold: 0.7,
      escalationCategories: ['refund', 'complaint', 'emergency', 'booking_change'],
    },
    FAQ,
  );
  tenant = setup.tenant;
  await call(api, tenant.keys.admin, 'POST', '/v1/webhook-endpoints', {
    url: hooks.url,
    events: ['escalation.opened'],
  });
  // The guest's stay: a property in New York (the tenant itself is on UTC), booked by this number.
  await withTenant(api.db, tenant.id, async (tx) => {
    const [channel] = await tx
      .insert(channels)
      .values({
        tenantId: tenant.id,
        kind: 'sms',
        name: 'Guest SMS',
        externalAccountId: NUMBER,
        agentId: setup.agentId,
        secrets: { accountSid: twilio.accountSid, authToken: twilio.authToken },
      })
      .returning();
    const [guest] = await tx
      .insert(contacts)
      .values({ tenantId: tenant.id, name: 'Ava Guest', phone: GUEST })
      .returning();
    await tx
      .insert(contactIdentities)
      .values({ tenantId: tenant.id, contactId: guest!.id, channelId: channel!.id, externalUserId: GUEST });
    const [property] = await tx
      .insert(properties)
      .values({ tenantId: tenant.id, name: 'Harbor Loft', timezone: 'America/New_York' })
      .returning();
    await tx.insert(reservations).values({
      tenantId: tenant.id,
      propertyId: property!.id,
      contactId: guest!.id,
      guestName: 'Ava Guest',
      checkIn: '2026-07-01',
      checkOut: '2026-07-05',
      status: 'checked_in',
    });
  });
});
afterAll(async () => {
  await twilio.close();
  await hooks.close();
});

const text = async (body: string) => {
  const url = `${api.url}/v1/inbound/twilio`;
  const res = await fetch(url, twilio.incoming(url, { From: GUEST, To: NUMBER, Body: body }).init);
  expect(res.status).toBe(200);
  await settle(api);
};

describe('paradise-stays: a guest by SMS', () => {
  it('texting at 23:00 (New York) gets the FAQ answer at 08:00, when quiet hours end', async () => {
    clock.set('2026-07-02T03:00:00Z'); // 23:00 EDT
    await text('Hi, what is the wifi password?');
    expect(twilio.sent).toHaveLength(0);

    clock.set('2026-07-02T11:59:00Z'); // 07:59 EDT
    await tick(api);
    expect(twilio.sent).toHaveLength(0);

    clock.set('2026-07-02T12:00:00Z'); // 08:00 EDT
    await tick(api);
    expect(twilio.sent).toHaveLength(1);
    expect(twilio.sent[0]).toMatchObject({ to: GUEST, from: NUMBER });
    expect(twilio.sent[0]!.body).toContain('ParadiseGuest');
  });

  it('reporting a water leak gets no AI reply but an emergency escalation and a notification', async () => {
    clock.set('2026-07-02T15:00:00Z'); // 11:00 EDT: no quiet hours in the way
    const sentBefore = twilio.sent.length;
    await text('There is water leaking from the bathroom ceiling, it is dripping everywhere!');
    await dispatchWebhooks(api);
    expect(twilio.sent).toHaveLength(sentBefore);
    const list = await get(api, tenant.keys.viewer, '/v1/escalations?type=emergency');
    const escalations = list.data as Array<Record<string, unknown>>;
    expect(escalations).toHaveLength(1);
    expect(escalations[0]).toMatchObject({ type: 'emergency', severity: 'high', status: 'open' });
    expect(hooks.received).toEqual([
      expect.objectContaining({
        type: 'escalation.opened',
        data: expect.objectContaining({ id: escalations[0]!.id, type: 'emergency', severity: 'high' }),
      }),
    ]);
  });
});
