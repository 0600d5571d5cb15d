/** Names and URLs for test databases on a PostgreSQL server. */
/** One template per test run (by the run's process id), so two runs on one server never collide. */
export const templateDbName = (pid: number): string => `frontdesk_test_template_${pid}`;

/** `url` with its database replaced (default: the maintenance database `postgres`). */
export function adminUrl(url: string, database = 'postgres'): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
