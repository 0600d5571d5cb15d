/**
 * Wall-clock time in an IANA time zone, for schedules written as local dates and times
 * ("10:00 three days before check-in", "quiet hours 22:00–08:00"). Built on Intl only.
 *
 * Daylight-saving rules: a local time that does not exist (the spring-forward gap) moves forward
 * by the gap (02:30 → 03:30); a local time that happens twice (fall-back) means its first
 * occurrence.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;
/** A wall-clock time, `HH:MM` or `HH:MM:SS` (what PostgreSQL returns for `time`). */
export type LocalTime = string;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock of `timeZone` at `at`, as if it were UTC (milliseconds, seconds precision). */
function wallClockMs(at: number, timeZone: string): number {
  const p = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(at))
      .map((x) => [x.type, Number(x.value)]),
  ) as Record<string, number>;
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/** The zone's offset from UTC at `at` (local minus UTC, milliseconds). */
function offsetMs(at: number, timeZone: string): number {
  return wallClockMs(at, timeZone) - Math.floor(at / 1000) * 1000;
}

function parseDate(date: LocalDate): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function parseTime(time: LocalTime): [number, number, number] {
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!m) throw new RangeError(`not a time: ${time}`);
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/** Minutes since local midnight of a `HH:MM[:SS]` time. */
export function minutesOf(time: LocalTime): number {
  const [h, m] = parseTime(time);
  return h * 60 + m;
}

/**
 * The instant at which `timeZone`'s clocks show `date` `time`.
 * @example zonedInstant('2026-03-08', '02:30', 'America/New_York') // 07:30Z (= 03:30 EDT)
 */
export function zonedInstant(date: LocalDate, time: LocalTime, timeZone: string): Date {
  const [y, mo, d] = parseDate(date);
  const [h, mi, s] = parseTime(time);
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  // The offsets in force a day either side: at most one transition lies between them.
  const candidates = [offsetMs(local - DAY, timeZone), offsetMs(local + DAY, timeZone)].map((o) => local - o);
  const real = candidates.filter((c) => wallClockMs(c, timeZone) === local);
  // In a gap no candidate shows the time; the later one is the time moved forward by the gap.
  return new Date(real.length ? Math.min(...real) : Math.max(...candidates));
}

/** The calendar date `timeZone` shows at `at`. */
export function localDateAt(at: Date, timeZone: string): LocalDate {
  return new Date(wallClockMs(at.getTime(), timeZone)).toISOString().slice(0, 10);
}

/** Minutes since local midnight that `timeZone` shows at `at`. */
function localMinutesAt(at: Date, timeZone: string): number {
  return Math.floor((wallClockMs(at.getTime(), timeZone) % DAY) / 60_000);
}

/** `date` plus `days` calendar days. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const [y, m, d] = parseDate(date);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Quiet hours as local wall-clock times; `start` > `end` spans midnight (22:00–08:00). */
export interface QuietHours {
  start: LocalTime;
  end: LocalTime;
}

/**
 * When something due at `at` may go out: `at` itself, or the end of the quiet hours it falls
 * in. Start is inclusive, end exclusive; equal start and end mean no quiet hours.
 * @example afterQuietHours(23:00 local, {start: '22:00', end: '08:00'}, tz) // 08:00 next day
 */
export function afterQuietHours(at: Date, quiet: QuietHours | null, timeZone: string): Date {
  if (!quiet) return at;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return at;
  const now = localMinutesAt(at, timeZone);
  const overnight = start > end;
  const inside = overnight ? now >= start || now < end : now >= start && now < end;
  if (!inside) return at;
  const today = localDateAt(at, timeZone);
  const endDate = overnight && now >= start ? addDays(today, 1) : today;
  return zonedInstant(endDate, quiet.end, timeZone);
}
