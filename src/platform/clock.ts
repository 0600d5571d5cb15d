/**
 * Time as Frontdesk's logic sees it. Everything that decides by the hour (quiet hours, response
 * delays, scheduled messages, SLAs, approval expiry) asks a `Clock`, never `Date.now()`, so tests
 * can move time and production uses the system clock.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to (tests, scenario runs). */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(to: Date | string): void {
    this.current = new Date(to).getTime();
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
