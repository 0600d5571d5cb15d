/**
 * What a scheduled message needs besides its time: the reservations worth looking at, the
 * guest's channel, the tenant's template for that channel and rule with its placeholders
 * filled, and the conversation it goes into (the guest's open one on that channel, or a new one).
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { rows, type Tx } from '../../platform/db/database.js';
import { addDays, type QuietHours } from '../../platform/zoned-time.js';
import { agents } from '../ai/tables.js';
import type { ChannelKind } from '../channels/tables.js';
import { messageTemplates } from '../content/tables.js';
import { conversations } from '../conversations/tables.js';
import type { ScheduleRule } from './schedule-tables.js';

/** A confirmed reservation near its check-in, with its property and messaging settings. */
export interface ScheduleCandidate {
  id: string;
  checkIn: string;
  checkOut: string;
  contactId: string | null;
  preferredChannel: ChannelKind | null;
  guestName: string;
  guestEmail: string | null;
  guestPhone: string | null;
  metadata: Record<string, unknown>;
  propertyName: string;
  propertyAddress: string | null;
  propertyMetadata: Record<string, unknown>;
  timezone: string;
  smsEnabled: boolean;
  emailEnabled: boolean;
  t3: string;
  t1: string;
  dayOf: string;
  checkinTime: string;
  checkoutTime: string;
  parkingInfo: string | null;
  /** Rules already sent, skipped or in flight (failed ones may be retried). */
  settled: ScheduleRule[];
}

/**
 * Reservations whose check-in is close enough to UTC today that a rule may be due somewhere on
 * Earth (local dates are within a day of UTC's; T-3 is the earliest rule). Missing
 * property_settings fall back to that table's defaults.
 */
export async function scheduleCandidates(
  tx: Tx,
  tenantTimezone: string,
  now: Date,
): Promise<ScheduleCandidate[]> {
  const today = now.toISOString().slice(0, 10);
  return rows<ScheduleCandidate>(
    tx,
    sql`SELECT r.id, r.check_in::text AS "checkIn", r.check_out::text AS "checkOut",
               r.contact_id AS "contactId", r.preferred_channel AS "preferredChannel",
               r.guest_name AS "guestName", r.guest_email AS "guestEmail", r.guest_phone AS "guestPhone",
               r.metadata, p.name AS "propertyName", p.address AS "propertyAddress",
               p.metadata AS "propertyMetadata", coalesce(p.timezone, ${tenantTimezone}) AS timezone,
               coalesce(ps.sms_enabled, true) AS "smsEnabled", coalesce(ps.email_enabled, true) AS "emailEnabled",
               coalesce(ps.schedule_t3_time, '10:00')::text AS t3,
               coalesce(ps.schedule_t1_time, '10:00')::text AS t1,
               coalesce(ps.schedule_day_of_time, '14:00')::text AS "dayOf",
               coalesce(ps.checkin_time, '15:00')::text AS "checkinTime",
               coalesce(ps.checkout_time, '10:00')::text AS "checkoutTime",
               ps.parking_info AS "parkingInfo",
               array(SELECT sm.rule FROM scheduled_messages sm
                      WHERE sm.tenant_id = r.tenant_id AND sm.reservation_id = r.id
                        AND sm.status <> 'failed') AS settled
          FROM reservations r
          JOIN properties p ON p.tenant_id = r.tenant_id AND p.id = r.property_id AND p.is_active
          LEFT JOIN property_settings ps ON ps.tenant_id = p.tenant_id AND ps.property_id = p.id
         WHERE r.status = 'confirmed'
           AND r.check_in BETWEEN ${addDays(today, -1)}::date AND ${addDays(today, 4)}::date
           -- Reservations with every rule settled cost nothing more (the steady state of a tick).
           AND (SELECT count(*) FROM scheduled_messages sm
                 WHERE sm.tenant_id = r.tenant_id AND sm.reservation_id = r.id AND sm.status <> 'failed') < 3
         ORDER BY r.check_in, r.id`,
  );
}

/** An active channel of the tenant with the agent that answers on it. */
export interface GuestChannel {
  id: string;
  kind: ChannelKind;
  agentId: string | null;
  assistantName: string | null;
  quiet: QuietHours | null;
}

/**
 * Each active channel kind of the tenant, with the quiet hours of its agent (or, for a channel
 * without one, of the tenant's first active agent): scheduled messages keep the same quiet
 * hours as the AI's replies on that channel.
 */
export async function guestChannels(tx: Tx): Promise<Map<ChannelKind, GuestChannel>> {
  const list = await rows<{
    id: string;
    kind: ChannelKind;
    agentId: string | null;
    assistantName: string | null;
    start: string | null;
    end: string | null;
  }>(
    tx,
    sql`WITH fallback AS (
          SELECT id FROM ${agents} WHERE status = 'active' ORDER BY created_at, id LIMIT 1)
        SELECT DISTINCT ON (c.kind) c.id, c.kind, a.id AS "agentId", a.assistant_name AS "assistantName",
               a.quiet_hours_start::text AS start, a.quiet_hours_end::text AS end
          FROM channels c
          LEFT JOIN agents a ON a.tenant_id = c.tenant_id
               AND a.id = coalesce(c.agent_id, (SELECT id FROM fallback))
         WHERE c.status = 'active'
         ORDER BY c.kind, c.created_at, c.id`,
  );
  return new Map(
    list.map((c) => [
      c.kind,
      {
        id: c.id,
        kind: c.kind,
        agentId: c.agentId,
        assistantName: c.assistantName,
        quiet: c.start && c.end ? { start: c.start, end: c.end } : null,
      },
    ]),
  );
}

/** The guest's channel kind: the booking's preference, else SMS to a phone, else email. */
export function guestChannelKind(r: ScheduleCandidate): ChannelKind | null {
  return r.preferredChannel ?? (r.guestPhone ? 'sms' : r.guestEmail ? 'email' : null);
}

/** Whether the property's settings turn this channel off. */
export function channelDisabled(r: ScheduleCandidate, kind: ChannelKind): boolean {
  return (kind === 'sms' && !r.smsEnabled) || (kind === 'email' && !r.emailEnabled);
}

export interface Template {
  subject: string | null;
  body: string;
}

/** The tenant's active templates, by `templateKey(channel, rule)` (unique per tenant). */
export async function activeTemplates(tx: Tx): Promise<Map<string, Template>> {
  const list = await tx
    .select({
      channel: messageTemplates.channel,
      trigger: messageTemplates.trigger,
      subject: messageTemplates.subject,
      body: messageTemplates.body,
    })
    .from(messageTemplates)
    .where(eq(messageTemplates.isActive, true));
  return new Map(list.map((t) => [templateKey(t.channel, t.trigger), { subject: t.subject, body: t.body }]));
}

export const templateKey = (kind: string, rule: string) => `${kind}|${rule}`;

const hhmm = (time: string) => time.slice(0, 5);

/** The values a template's `{{placeholders}}` may name, for one reservation. */
export function templateValues(r: ScheduleCandidate, channel: GuestChannel): Record<string, string> {
  const strings = (o: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(o)
        .filter((e): e is [string, string | number] => ['string', 'number'].includes(typeof e[1]))
        .map(([k, v]) => [k, String(v)]),
    );
  const values: Record<string, string | null> = {
    guest_name: r.guestName,
    guest_first_name: r.guestName.trim().split(/\s+/)[0] ?? r.guestName,
    assistant_name: channel.assistantName,
    property_name: r.propertyName,
    property_address: r.propertyAddress,
    check_in: r.checkIn,
    check_out: r.checkOut,
    checkin_time: hhmm(r.checkinTime),
    checkout_time: hhmm(r.checkoutTime),
    parking_info: r.parkingInfo,
  };
  const known = Object.fromEntries(
    Object.entries(values).filter((e): e is [string, string] => e[1] !== null),
  );
  // Property details (a lockbox code) and booking details live in metadata.
  return { ...strings(r.propertyMetadata), ...strings(r.metadata), ...known };
}

/**
 * Fills `{{name}}` placeholders; throws naming the first one without a value, so a guest never
 * receives a raw `{{lockbox_code}}`.
 */
export function renderTemplate(body: string, values: Record<string, string>): string {
  return body.replace(/\{\{\s*([a-z0-9_]+)\s*\}\}/gi, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new MissingValueError(name);
    return value;
  });
}

export class MissingValueError extends Error {
  override name = 'MissingValueError';
  constructor(readonly placeholder: string) {
    super(`no value for {{${placeholder}}}`);
  }
}

/** A conversation a scheduled message needs: the guest's, on a channel. */
export interface ConversationWant {
  contactId: string;
  channel: GuestChannel;
  /** For a new conversation. */
  subject: string;
}

export const conversationKey = (contactId: string, channelId: string) => `${contactId}|${channelId}`;

/**
 * For each (contact, channel) wanted, the guest's open conversation on that channel (the most
 * recently active), or a new one; in two statements. Keyed by `conversationKey`; the first want
 * of a pair gives a new conversation its subject.
 */
export async function guestConversations(
  tx: Tx,
  tenantId: string,
  wants: readonly ConversationWant[],
  now: Date,
): Promise<Map<string, string>> {
  const byKey = new Map<string, ConversationWant>();
  for (const w of wants) {
    const key = conversationKey(w.contactId, w.channel.id);
    if (!byKey.has(key)) byKey.set(key, w);
  }
  const result = new Map<string, string>();
  if (byKey.size === 0) return result;
  const open = await tx
    .selectDistinctOn([conversations.contactId, conversations.channelId], {
      id: conversations.id,
      contactId: conversations.contactId,
      channelId: conversations.channelId,
    })
    .from(conversations)
    .where(
      and(
        inArray(conversations.contactId, [...new Set(wants.map((w) => w.contactId))]),
        inArray(conversations.channelId, [...new Set(wants.map((w) => w.channel.id))]),
        inArray(conversations.status, ['active', 'waiting']),
      ),
    )
    .orderBy(
      conversations.contactId,
      conversations.channelId,
      desc(conversations.lastMessageAt),
      asc(conversations.id),
    );
  for (const c of open) result.set(conversationKey(c.contactId!, c.channelId!), c.id);
  const missing = [...byKey.entries()].filter(([key]) => !result.has(key));
  if (missing.length === 0) return result;
  const created = await tx
    .insert(conversations)
    .values(
      missing.map(([, w]) => ({
        tenantId,
        contactId: w.contactId,
        channelId: w.channel.id,
        agentId: w.channel.agentId,
        subject: w.subject,
        startedAt: now,
      })),
    )
    .returning({
      id: conversations.id,
      contactId: conversations.contactId,
      channelId: conversations.channelId,
    });
  for (const c of created) result.set(conversationKey(c.contactId!, c.channelId!), c.id);
  return result;
}
