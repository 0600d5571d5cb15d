/** Small display helpers. */
export const when = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';

export const percent = (n: unknown): string => (typeof n === 'number' ? `${Math.round(n * 100)}%` : '—');
