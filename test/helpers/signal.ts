/**
 * A one-shot signal between two sides of a race in a test: one side awaits `signal.done`, the
 * other calls `signal.fire()` when it is time (e.g. "A has inserted", "B may commit").
 * (`Promise.withResolvers` would do, from Node 22; Frontdesk runs on Node 20 too.)
 */
export interface Signal {
  done: Promise<void>;
  fire(): void;
}

export function signal(): Signal {
  let fire!: () => void;
  const done = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { done, fire };
}
