import { createHash } from 'node:crypto';

/** A strong ETag over the resource's JSON representation. */
export function etagOf(row: unknown): string {
  return `"${createHash('sha256').update(JSON.stringify(row)).digest('base64url').slice(0, 27)}"`;
}

/** True when an If-Match header (possibly a list, or `*`) matches the current ETag. */
export function ifMatchAllows(header: string | undefined, current: string): boolean {
  if (header === undefined) return true;
  const tags = header.split(',').map((t) => t.trim());
  return tags.includes('*') || tags.includes(current);
}
