/**
 * Demo time. History is placed relative to a fixed anchor so every run writes the same rows;
 * only reservations that must be "in 3 days / tomorrow / today" use the real current date, in
 * their property's time zone.
 */

/** The fixed "now" of the demo history. */
export const ANCHOR = new Date('2026-11-20T00:00:00Z');

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** `days` before the anchor, at hh:mm UTC. */
export function daysAgo(days: number, hour = 9, minute = 0): Date {
  return new Date(ANCHOR.getTime() - days * DAY + hour * HOUR + minute * MINUTE);
}

export const plusMinutes = (at: Date, minutes: number): Date => new Date(at.getTime() + minutes * MINUTE);
export const plusSeconds = (at: Date, seconds: number): Date => new Date(at.getTime() + seconds * 1000);

/** created_at and updated_at of a row written at `at`. */
export const stamp = (at: Date) => ({ createdAt: at, updatedAt: at });

/**
 * The calendar date (YYYY-MM-DD) of an instant in a time zone; by default of the real today: the
 * demo's upcoming stays are placed around the day `seed --demo` runs, outside any Clock.
 */
export function localDate(timeZone: string, at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** A calendar date `days` after `date` (YYYY-MM-DD in, YYYY-MM-DD out). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The anchor's UTC date plus `days` (negative for the past). */
export const anchorDate = (days: number): string => addDays(ANCHOR.toISOString().slice(0, 10), days);
