/**
 * When each of a reservation's scheduled messages is due (seed 003's schedule rules): T-3 and
 * T-1 at the property's `schedule_t3_time` / `schedule_t1_time` three and one days before
 * check-in, day-of at `schedule_day_of_time` on the check-in date, all in the property's time
 * zone, and moved to the end of quiet hours when they fall inside them.
 *
 * Each rule also has an end: a message whose moment passed while nothing ran (downtime, or a
 * booking made the day before arrival) is still sent late, but only while it still reads right:
 * T-3 until T-1 is due, T-1 ("see you tomorrow") until local midnight before arrival, day-of
 * until the end of the check-in day. After that it is skipped.
 */

import {
  addDays,
  afterQuietHours,
  type LocalDate,
  type LocalTime,
  type QuietHours,
  zonedInstant,
} from '../../platform/zoned-time.js';
import type { ScheduleRule } from './schedule-tables.js';

export interface ScheduleTimes {
  t3: LocalTime;
  t1: LocalTime;
  dayOf: LocalTime;
}

export interface RuleWindow {
  rule: ScheduleRule;
  /** From when it may be sent. */
  dueAt: Date;
  /** Until when it is still worth sending. */
  until: Date;
}

/** The three rules' windows for a check-in date, in order. */
export function ruleWindows(
  checkIn: LocalDate,
  times: ScheduleTimes,
  timeZone: string,
  quiet: QuietHours | null,
): RuleWindow[] {
  const due = (daysBefore: number, time: LocalTime) =>
    afterQuietHours(zonedInstant(addDays(checkIn, -daysBefore), time, timeZone), quiet, timeZone);
  const t3 = due(3, times.t3);
  const t1 = due(1, times.t1);
  const dayOf = due(0, times.dayOf);
  const arrivalDay = zonedInstant(checkIn, '00:00', timeZone);
  const endOfArrivalDay = zonedInstant(addDays(checkIn, 1), '00:00', timeZone);
  return [
    { rule: 'T_MINUS_3', dueAt: t3, until: t1 },
    { rule: 'T_MINUS_1', dueAt: t1, until: arrivalDay },
    { rule: 'DAY_OF', dueAt: dayOf, until: endOfArrivalDay },
  ];
}

/** What a tick should do with one rule at `now`. */
export function ruleState(window: RuleWindow, now: Date): 'early' | 'due' | 'missed' {
  if (now < window.dueAt) return 'early';
  return now < window.until ? 'due' : 'missed';
}
