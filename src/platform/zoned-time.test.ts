/**
 * Local wall-clock schedules across time zones and daylight-saving changes (2026 dates):
 * New York springs forward on 8 March, Berlin falls back on 25 October, Auckland falls back on
 * 5 April and springs forward on 27 September.
 */
import { describe, expect, it } from 'vitest';
import { ruleState, ruleWindows } from '../domains/hospitality/schedule-rules.js';
import { addDays, afterQuietHours, localDateAt, zonedInstant } from './zoned-time.js';

const iso = (d: Date) => d.toISOString();
const QUIET = { start: '22:00', end: '08:00' };
const TIMES = { t3: '10:00', t1: '10:00', dayOf: '14:00' };

describe('zonedInstant', () => {
  it('reads local times with the offset in force that day', () => {
    expect(iso(zonedInstant('2026-03-07', '10:00', 'America/New_York'))).toBe('2026-03-07T15:00:00.000Z');
    expect(iso(zonedInstant('2026-03-08', '10:00', 'America/New_York'))).toBe('2026-03-08T14:00:00.000Z');
    expect(iso(zonedInstant('2026-10-24', '10:00', 'Europe/Berlin'))).toBe('2026-10-24T08:00:00.000Z');
    expect(iso(zonedInstant('2026-10-25', '10:00', 'Europe/Berlin'))).toBe('2026-10-25T09:00:00.000Z');
    expect(iso(zonedInstant('2026-04-04', '10:00', 'Pacific/Auckland'))).toBe('2026-04-03T21:00:00.000Z');
    expect(iso(zonedInstant('2026-04-05', '10:00', 'Pacific/Auckland'))).toBe('2026-04-04T22:00:00.000Z');
    expect(iso(zonedInstant('2026-03-08', '10:00:00', 'UTC'))).toBe('2026-03-08T10:00:00.000Z');
  });

  it('moves a time inside the spring-forward gap forward by the gap', () => {
    // 02:30 does not exist in New York on 8 March 2026: it is 03:30 EDT.
    expect(iso(zonedInstant('2026-03-08', '02:30', 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(zonedInstant('2026-09-27', '02:15', 'Pacific/Auckland'))).toBe('2026-09-26T14:15:00.000Z');
  });

  it('takes the first of a time that happens twice at fall-back', () => {
    // 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET) in Berlin on 25 October 2026.
    expect(iso(zonedInstant('2026-10-25', '02:30', 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
  });

  it('refuses malformed dates and times', () => {
    expect(() => zonedInstant('2026-3-8', '10:00', 'UTC')).toThrow(RangeError);
    expect(() => zonedInstant('2026-03-08', '10h', 'UTC')).toThrow(RangeError);
  });
});

describe('local dates', () => {
  it('are the zone’s calendar date, not UTC’s', () => {
    const at = new Date('2026-04-04T22:30:00Z');
    expect(localDateAt(at, 'Pacific/Auckland')).toBe('2026-04-05');
    expect(localDateAt(at, 'America/New_York')).toBe('2026-04-04');
    expect(addDays('2026-03-01', -3)).toBe('2026-02-26');
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
  });
});

describe('afterQuietHours', () => {
  const ny = 'America/New_York';

  it('holds a moment inside overnight quiet hours until they end', () => {
    const at23 = zonedInstant('2026-06-10', '23:00', ny);
    expect(iso(afterQuietHours(at23, QUIET, ny))).toBe(iso(zonedInstant('2026-06-11', '08:00', ny)));
    const at7 = zonedInstant('2026-06-11', '07:00', ny);
    expect(iso(afterQuietHours(at7, QUIET, ny))).toBe(iso(zonedInstant('2026-06-11', '08:00', ny)));
  });

  it('lets moments outside quiet hours through, and treats start as inside and end as outside', () => {
    const noon = zonedInstant('2026-06-11', '12:00', ny);
    expect(afterQuietHours(noon, QUIET, ny)).toBe(noon);
    const end = zonedInstant('2026-06-11', '08:00', ny);
    expect(afterQuietHours(end, QUIET, ny)).toBe(end);
    const start = zonedInstant('2026-06-11', '22:00', ny);
    expect(iso(afterQuietHours(start, QUIET, ny))).toBe(iso(zonedInstant('2026-06-12', '08:00', ny)));
    expect(afterQuietHours(start, null, ny)).toBe(start);
    expect(afterQuietHours(start, { start: '22:00', end: '22:00' }, ny)).toBe(start);
  });

  it('ends quiet hours at local 08:00 on a night the clocks change', () => {
    // 23:00 EST on 7 March is 04:00Z; 08:00 EDT on 8 March is 12:00Z: 8 hours, not 9.
    const late = zonedInstant('2026-03-07', '23:00', ny);
    expect(iso(late)).toBe('2026-03-08T04:00:00.000Z');
    expect(iso(afterQuietHours(late, QUIET, ny))).toBe('2026-03-08T12:00:00.000Z');
    // Berlin's fall-back night is an hour longer: 23:00 CEST → 08:00 CET is 10 hours.
    const berlin = zonedInstant('2026-10-24', '23:00', 'Europe/Berlin');
    expect(afterQuietHours(berlin, QUIET, 'Europe/Berlin').getTime() - berlin.getTime()).toBe(10 * 3_600_000);
  });

  it('handles daytime quiet hours', () => {
    const lunch = { start: '12:00', end: '13:30' };
    const at = zonedInstant('2026-06-11', '12:45', 'UTC');
    expect(iso(afterQuietHours(at, lunch, 'UTC'))).toBe('2026-06-11T13:30:00.000Z');
    expect(afterQuietHours(zonedInstant('2026-06-11', '23:00', 'UTC'), lunch, 'UTC').toISOString()).toBe(
      '2026-06-11T23:00:00.000Z',
    );
  });
});

describe('ruleWindows', () => {
  it('puts T-3, T-1 and day-of at the property’s local times across spring-forward', () => {
    const [t3, t1, dayOf] = ruleWindows('2026-03-09', TIMES, 'America/New_York', QUIET);
    expect(iso(t3!.dueAt)).toBe('2026-03-06T15:00:00.000Z'); // 10:00 EST
    expect(iso(t1!.dueAt)).toBe('2026-03-08T14:00:00.000Z'); // 10:00 EDT, the day clocks change
    expect(iso(dayOf!.dueAt)).toBe('2026-03-09T18:00:00.000Z'); // 14:00 EDT
    expect(t3!.until).toEqual(t1!.dueAt);
    expect(iso(t1!.until)).toBe('2026-03-09T04:00:00.000Z'); // midnight before arrival (EDT)
    expect(iso(dayOf!.until)).toBe('2026-03-10T04:00:00.000Z'); // local midnight after arrival
  });

  it('follows Berlin across fall-back and Auckland across the date line', () => {
    const berlin = ruleWindows('2026-10-26', TIMES, 'Europe/Berlin', QUIET);
    expect(berlin.map((w) => iso(w.dueAt))).toEqual([
      '2026-10-23T08:00:00.000Z',
      '2026-10-25T09:00:00.000Z',
      '2026-10-26T13:00:00.000Z',
    ]);
    const auckland = ruleWindows('2026-04-06', TIMES, 'Pacific/Auckland', QUIET);
    expect(auckland.map((w) => iso(w.dueAt))).toEqual([
      '2026-04-02T21:00:00.000Z', // 3 April 10:00 NZDT
      '2026-04-04T22:00:00.000Z', // 5 April 10:00 NZST
      '2026-04-06T02:00:00.000Z', // 6 April 14:00 NZST
    ]);
  });

  it('holds a rule set inside quiet hours until they end', () => {
    const early = { ...TIMES, dayOf: '06:30' };
    const [, , dayOf] = ruleWindows('2026-03-08', early, 'America/New_York', QUIET);
    // 06:30 on spring-forward day is quiet; it goes at 08:00 EDT.
    expect(iso(dayOf!.dueAt)).toBe('2026-03-08T12:00:00.000Z');
    const [, , unheld] = ruleWindows('2026-03-08', early, 'America/New_York', null);
    expect(iso(unheld!.dueAt)).toBe('2026-03-08T10:30:00.000Z');
  });

  it('says whether a rule is early, due or missed', () => {
    const [t3] = ruleWindows('2026-06-10', TIMES, 'UTC', null);
    expect(ruleState(t3!, new Date('2026-06-07T09:59:59Z'))).toBe('early');
    expect(ruleState(t3!, new Date('2026-06-07T10:00:00Z'))).toBe('due');
    expect(ruleState(t3!, new Date('2026-06-09T09:59:59Z'))).toBe('due');
    expect(ruleState(t3!, new Date('2026-06-09T10:00:00Z'))).toBe('missed');
  });
});
