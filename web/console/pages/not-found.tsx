/** What a missing page, or another tenant's resource, shows: nothing but that it is not here. */
import { Link } from 'wouter-preact';

export function NotFound({ what = 'page' }: { what?: string }) {
  return (
    <section class="not-found">
      <h1>Not found</h1>
      <p>There is no such {what} in this workspace.</p>
      <Link href="/">Back to the inbox</Link>
    </section>
  );
}
