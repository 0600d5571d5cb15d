/**
 * When the responder may reply: response delay, then quiet hours in the property's or tenant's
 * zone, across DST changes in both hemispheres, windows crossing midnight, the skipped and the
 * repeated hour.
 */
import { describe, expect, it } from 'vitest';
import { policyOf, replyAt } from './policy.js';

const agent = (start: string | null, end: string | null, delay = 0) => ({
  autoReplyEnabled: true,
  confidenceThreshold: 0.7,
  quietHoursStart: start,
  quietHoursEnd: end,
  responseDelaySeconds: delay,
  escalationCategories: [],
  escalationConfig: {},
});
const reply = (start: string | null, end: string | null, tz: string, iso: string, delay = 0) =>
  replyAt(policyOf(agent(start, end, delay), tz), new Date(iso)).toISOString();

describe('replyAt', () => {
  it('replies at once without quiet hours or delay, and with an empty window', () => {
    expect(reply(null, null, 'UTC', '2026-07-01T23:00:00Z')).toBe('2026-07-01T23:00:00.000Z');
    expect(reply('09:00', '09:00', 'UTC', '2026-07-01T09:30:00Z')).toBe('2026-07-01T09:30:00.000Z');
    expect(reply('22:00', '08:00', 'Europe/Paris', '2026-07-01T10:00:00Z')).toBe('2026-07-01T10:00:00.000Z');
  });

  it('adds the response delay', () => {
    expect(reply(null, null, 'UTC', '2026-07-01T10:00:00Z', 180)).toBe('2026-07-01T10:03:00.000Z');
  });

  it('holds a reply in the evening part of a window crossing midnight until the next morning', () => {
    // 23:00 Paris (CEST) → 08:00 the next day = 06:00Z.
    expect(reply('22:00', '08:00', 'Europe/Paris', '2026-07-01T21:00:00Z')).toBe('2026-07-02T06:00:00.000Z');
  });

  it('holds a reply in the morning part until the same morning', () => {
    expect(reply('22:00', '08:00', 'Europe/Paris', '2026-07-02T01:00:00Z')).toBe('2026-07-02T06:00:00.000Z');
  });

  it('holds when the delay, not the message, lands in quiet hours', () => {
    // 21:58 UTC + 3 minutes = 22:01 → next 08:00.
    expect(reply('22:00', '08:00', 'UTC', '2026-07-01T21:58:00Z', 180)).toBe('2026-07-02T08:00:00.000Z');
  });

  it('treats the start as quiet and the end as not', () => {
    expect(reply('22:00', '08:00', 'UTC', '2026-07-01T22:00:00Z')).toBe('2026-07-02T08:00:00.000Z');
    expect(reply('22:00', '08:00', 'UTC', '2026-07-02T08:00:00Z')).toBe('2026-07-02T08:00:00.000Z');
  });

  it('handles a window inside one day (Tokyo lunch)', () => {
    expect(reply('12:00', '14:00', 'Asia/Tokyo', '2026-05-01T03:30:00Z')).toBe('2026-05-01T05:00:00.000Z');
  });

  it('uses summer and winter offsets of the same zone', () => {
    expect(reply('22:00', '08:00', 'Europe/Paris', '2026-01-15T22:00:00Z')).toBe('2026-01-16T07:00:00.000Z');
  });

  it('ends at 08:00 local across the spring change in Europe (the night is an hour shorter)', () => {
    // 2026-03-29 02:00 CET → 03:00 CEST. 23:00 CET on the 28th = 22:00Z; 08:00 CEST = 06:00Z.
    expect(reply('22:00', '08:00', 'Europe/Berlin', '2026-03-28T22:00:00Z')).toBe('2026-03-29T06:00:00.000Z');
  });

  it('ends at 08:00 local across the autumn change in the US (the night is an hour longer)', () => {
    // 2026-11-01 02:00 EDT → 01:00 EST. 23:00 EDT on Oct 31 = 03:00Z; 08:00 EST = 13:00Z.
    expect(reply('22:00', '08:00', 'America/New_York', '2026-11-01T03:00:00Z')).toBe(
      '2026-11-01T13:00:00.000Z',
    );
  });

  it('moves an end in the skipped hour forward by the gap', () => {
    // Quiet 23:00–02:30 on New York's spring night: 02:30 does not exist → 03:30 EDT = 07:30Z.
    expect(reply('23:00', '02:30', 'America/New_York', '2026-03-08T04:30:00Z')).toBe(
      '2026-03-08T07:30:00.000Z',
    );
  });

  it('ends in the repeated hour at its first occurrence, and is not quiet again in the second', () => {
    // Quiet 00:00–01:30 on the autumn night: 01:30 EDT (05:30Z) comes first.
    expect(reply('00:00', '01:30', 'America/New_York', '2026-11-01T04:10:00Z')).toBe(
      '2026-11-01T05:30:00.000Z',
    );
    // 01:10 EST (06:10Z), after the window has ended: sent at once.
    expect(reply('00:00', '01:30', 'America/New_York', '2026-11-01T06:10:00Z')).toBe(
      '2026-11-01T06:10:00.000Z',
    );
  });

  it('uses the southern hemisphere change (Sydney, April fall back)', () => {
    // 2026-04-05 03:00 AEDT → 02:00 AEST. 22:30 AEDT on the 4th = 11:30Z; 07:00 AEST on the 5th = 21:00Z on the 4th.
    expect(reply('22:00', '07:00', 'Australia/Sydney', '2026-04-04T11:30:00Z')).toBe(
      '2026-04-04T21:00:00.000Z',
    );
  });

  it('handles half-hour zones (Adelaide, summer and winter)', () => {
    expect(reply('22:00', '08:00', 'Australia/Adelaide', '2026-01-09T12:00:00Z')).toBe(
      '2026-01-09T21:30:00.000Z',
    );
    expect(reply('22:00', '08:00', 'Australia/Adelaide', '2026-07-09T13:00:00Z')).toBe(
      '2026-07-09T22:30:00.000Z',
    );
  });
});
