/** Names and URLs for test databases on a PostgreSQL server. */
export const TEMPLATE_DB = 'frontdesk_test_template';

/** `url` with its database replaced (default: the maintenance database `postgres`). */
export function adminUrl(url: string, database = 'postgres'): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
