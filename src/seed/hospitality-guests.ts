/**
 * The vacation-rental tenant's guests: contacts with their channel identities, past stays
 * (relative to the anchor) and upcoming ones (relative to today in each property's zone),
 * conversations, escalations and the provider delivery log.
 */
import { commsEvents, escalations } from '../domains/conversations/tables.js';
import { contactIdentities, contacts } from '../domains/crm/tables.js';
import { reservations } from '../domains/hospitality/tables.js';
import { addDays, anchorDate, DAY, daysAgo, localDate, plusMinutes, stamp } from './clock.js';
import type { DemoContext, RowOf } from './context.js';
import { escalationRow, statusFor } from './escalations.js';
import { EARLY, GUEST_CHANNELS, GUESTS, LATE, PROPERTIES } from './hospitality-content.js';
import { GUEST_SCRIPTS } from './hospitality-scripts.js';
import { writeThreads } from './rollups.js';
import { buildThreads, type ChannelRef, type Person } from './threads.js';

export interface GuestSetup {
  propertyIds: Record<string, string>;
  channel: Record<string, ChannelRef>;
  agentId: string;
  promptVersionId: string;
  /** The tenant's time zone (daily metrics are dated in it). */
  timeZone: string;
}

export async function populateGuests(ctx: DemoContext, setup: GuestSetup): Promise<void> {
  const { write, rng } = ctx;
  const { propertyIds, channel, agentId } = setup;
  // Guests: a contact each, with their identity on the channel they prefer.
  const guests = demoGuests(ctx.id);
  await write.insert(
    contacts,
    guests.map((g) => ({
      id: g.id,
      name: g.name,
      email: g.email,
      phone: g.phone,
      tags: ['guest'],
      firstSeenAt: g.first,
      lastSeenAt: plusMinutes(g.first, 60 * 24 * 6),
      metadata: { preferredChannel: g.prefers },
      ...stamp(g.first),
    })),
  );
  const address = (g: (typeof guests)[number], kind: string) =>
    kind === 'sms' ? g.phone : kind === 'email' ? g.email : g.telegram;
  await write.insert(
    contactIdentities,
    guests.flatMap((g) =>
      (g.prefers === 'sms' ? ['sms'] : [g.prefers, 'sms']).map((kind) => ({
        id: ctx.id(`identity:${g.id}:${kind}`, g.first),
        contactId: g.id,
        channelId: channel[kind]!.id,
        externalUserId: address(g, kind),
        externalUserName: g.name,
        ...stamp(g.first),
      })),
    ),
  );

  // Past stays relative to the anchor; upcoming ones relative to today in the property's zone.
  const stays: RowOf<typeof reservations>[] = guests.map((g, i) => {
    const checkIn = anchorDate(-88 + i * 3);
    return {
      id: ctx.id(`reservation:PS-${24_100 + i}`, g.first),
      propertyId: propertyIds[g.property.key]!,
      contactId: g.id,
      guestName: g.name,
      guestEmail: g.email,
      guestPhone: g.phone,
      preferredChannel: g.prefers,
      checkIn,
      checkOut: addDays(checkIn, 2 + (i % 4)),
      status: i === 7 ? 'cancelled' : 'checked_out',
      externalBookingId: `PS-${24_100 + i}`,
      numberOfGuests: 1 + (i % 4),
      ...stamp(g.first),
    };
  });
  stays.push(...upcomingStays(ctx.id, propertyIds));
  await write.insert(reservations, stays);

  // Conversations with past guests, on the channel each prefers.
  const people: Person[] = guests.map((g) => ({
    contactId: g.id,
    name: g.name,
    vars: {
      property: g.property.name,
      wifi: g.property.wifi,
      parking: g.property.parking,
      pets: g.property.pets,
      early: EARLY,
      late: LATE,
    },
  }));
  let telegramMessageId = 40_000;
  const threads = buildThreads({
    key: 'guest',
    count: 64,
    scripts: GUEST_SCRIPTS,
    people,
    channels: guests.map((g) => channel[g.prefers]!),
    agentId,
    promptVersionId: setup.promptVersionId,
    assistantName: 'Mark',
    model: 'gpt-4o-mini',
    staffUserIds: [ctx.staff.agent, ctx.staff.admin],
    daysBack: 90,
    replyDelaySeconds: [180, 240],
    externalMessageId: (ch) =>
      ch?.kind === 'sms'
        ? `SM${rng.hex(32)}`
        : ch?.kind === 'telegram'
          ? String(++telegramMessageId)
          : `<${rng.hex(24)}@mail.paradisestays.example>`,
    id: ctx.id,
    rng,
  });
  const escalationRows = threads
    .filter((t) => t.script.escalation)
    .map((t, n) =>
      escalationRow(
        ctx,
        t,
        { ...t.script.escalation!, status: statusFor(t, n, t.script.escalation!.severity) },
        { userId: ctx.staff.agent },
      ),
    );
  await writeThreads(ctx, threads, setup.timeZone);
  await write.insert(escalations, escalationRows);

  // Provider log: every message that crossed a channel, plus the scheduled sends of past stays.
  const byContact = new Map(guests.map((g) => [g.id, g]));
  const events: RowOf<typeof commsEvents>[] = threads.flatMap((t) =>
    t.messages
      .filter((m) => !m.isInternal && t.channel)
      .map((m, n) => {
        const g = byContact.get(t.person.contactId!)!;
        const kind = t.channel!.kind;
        const ours = GUEST_CHANNELS.find((c) => c.kind === kind)!.account;
        const inbound = m.role === 'user';
        const failed = !inbound && kind === 'sms' && (n * 31 + m.content.length) % 23 === 0;
        return {
          id: ctx.id(`comms:${m.id}`, m.createdAt),
          channelId: t.channel!.id,
          channelKind: kind,
          messageId: m.id,
          direction: inbound ? 'inbound' : 'outbound',
          fromAddr: inbound ? address(g, kind) : ours,
          toAddr: inbound ? ours : address(g, kind),
          subject: kind === 'email' ? `Re: ${t.conversation.subject}` : null,
          bodyPreview: m.content.slice(0, 160),
          status: inbound ? 'received' : failed ? 'undelivered' : 'delivered',
          providerMessageId: m.externalMessageId ?? null,
          providerStatus: inbound ? 'received' : failed ? 'undelivered' : 'delivered',
          errorCode: failed ? '30003' : null,
          errorMessage: failed ? 'Unreachable destination handset' : null,
          attempt: failed ? 2 : 1,
          ...stamp(m.createdAt),
        };
      }),
  );
  stays
    .filter((s) => s.status === 'checked_out')
    .forEach((s, i) => {
      const g = byContact.get(s.contactId!)!;
      for (const [trigger, before] of [
        ['T_MINUS_3', 3],
        ['T_MINUS_1', 1],
        ['DAY_OF', 0],
      ] as const) {
        const kind = g.prefers === 'telegram' && trigger !== 'DAY_OF' ? 'sms' : g.prefers;
        // 10:00 local on the T-3 / T-1 day (23:00 UTC the evening before, in AEDT), 14:00 local on the day.
        const at =
          trigger === 'DAY_OF'
            ? new Date(`${s.checkIn}T03:00:00Z`)
            : new Date(`${addDays(s.checkIn, -before - 1)}T23:00:00Z`);
        events.push({
          id: ctx.id(`comms:${s.externalBookingId}:${trigger}`, at),
          channelId: channel[kind]!.id,
          channelKind: kind,
          direction: 'outbound',
          fromAddr: GUEST_CHANNELS.find((c) => c.kind === kind)!.account,
          toAddr: address(g, kind),
          subject:
            kind === 'email'
              ? `${trigger === 'DAY_OF' ? 'Welcome to' : 'Your stay at'} ${g.property.name}`
              : null,
          bodyPreview: `[${trigger}] Hi ${g.name.split(' ')[0]}, ${trigger === 'DAY_OF' ? 'welcome' : 'see you soon'} at ${g.property.name}.`,
          status: i % 9 === 4 && trigger === 'T_MINUS_3' ? 'failed' : 'delivered',
          providerMessageId: kind === 'sms' ? `SM${rng.hex(32)}` : null,
          errorCode: i % 9 === 4 && trigger === 'T_MINUS_3' ? '21610' : null,
          errorMessage: i % 9 === 4 && trigger === 'T_MINUS_3' ? 'Recipient has opted out (STOP)' : null,
          ...stamp(at),
        });
      }
    });
  await write.insert(commsEvents, events);
}

/** The demo guests (deterministic: the same ids, names and addresses on every run). */
function demoGuests(id: DemoContext['id']) {
  const kinds = ['sms', 'sms', 'email', 'telegram'] as const;
  return GUESTS.map((name, i) => {
    const first = daysAgo(95 - i * 3);
    return {
      id: id(`guest:${i}`, first),
      name,
      email: `${name.toLowerCase().replace(' ', '.')}@mail.example`,
      phone: `+614${String(12_345_000 + i * 7_919).padStart(8, '0')}`,
      prefers: kinds[i % kinds.length]!,
      telegram: String(5_100_000_000 + i * 104_729),
      property: PROPERTIES[i % PROPERTIES.length]!,
      first,
    };
  });
}

/** The bookings of the upcoming stays (`externalBookingId` starts with this). */
export const UPCOMING_BOOKING_PREFIX = 'UP-';

/**
 * The upcoming stays: around the real today (see localDate in ./clock.ts), not the fixed ANCHOR,
 * booked 18+ days before today (UTC midnight, so a day's runs write the same ids). A first start
 * restored from the embedded snapshot re-places them (./personal.ts).
 */
export function upcomingStays(
  id: DemoContext['id'],
  propertyIds: Record<string, string>,
  today: Date = new Date(),
): RowOf<typeof reservations>[] {
  const guests = demoGuests(id);
  const midnight = Date.parse(`${today.toISOString().slice(0, 10)}T00:00:00Z`);
  const upcoming = [
    ['bondi', 0, 2, 'confirmed', 'UP-TODAY-BONDI'],
    ['byron', 0, 3, 'confirmed', 'UP-TODAY-BYRON'],
    ['manly', 1, 5, 'confirmed', 'UP-T1-MANLY'],
    ['hobart', 1, 2, 'confirmed', 'UP-T1-HOBART'],
    ['bondi', 3, 4, 'confirmed', 'UP-T3-BONDI'],
    ['noosa', 3, 3, 'confirmed', 'UP-T3-NOOSA'],
    ['noosa', -2, 3, 'checked_in', 'UP-STAY-NOOSA'],
    ['hobart', -3, 4, 'checked_in', 'UP-STAY-HOBART'],
    ['manly', 10, 3, 'confirmed', 'UP-D10-MANLY'],
    ['byron', 20, 2, 'inquiry', 'UP-D20-BYRON'],
  ] as const;
  return upcoming.map(([key, offset, nights, status, booking], i) => {
    const p = PROPERTIES.find((x) => x.key === key)!;
    const g = guests[(i * 5 + 2) % guests.length]!;
    const checkIn = addDays(localDate(p.tz, today), offset);
    const bookedAt = new Date(midnight - (18 + i) * DAY);
    return {
      id: id(`reservation:${booking}`, bookedAt),
      propertyId: propertyIds[key]!,
      contactId: g.id,
      guestName: g.name,
      guestEmail: g.email,
      guestPhone: g.phone,
      preferredChannel: g.prefers,
      checkIn,
      checkOut: addDays(checkIn, nights),
      status,
      externalBookingId: booking,
      numberOfGuests: 2,
      notes: offset === 0 ? 'Arriving today — day-of message goes out at 14:00 local time.' : null,
      ...stamp(bookedAt),
    };
  });
}
