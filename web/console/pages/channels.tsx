/**
 * Channels (admins): every channel of the tenant with its status, last inbound message and last
 * error, and what to set up at the provider: the webhook address it must call (docs/channels.md),
 * or for a widget its embed snippet (on the widget page).
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter-preact';
import { useSession } from '../app.js';
import { ok } from '../session.js';
import { when } from './format.js';

/** The address a provider calls for a channel of `kind` routed by `account`, or null. */
export function webhookAddress(kind: string, account: string | null | undefined): string | null {
  const base = `${location.origin}/v1/inbound`;
  const id = encodeURIComponent(account ?? '{account}');
  switch (kind) {
    case 'sms':
      return `${base}/twilio`;
    case 'email':
      return `${base}/email`;
    case 'whatsapp':
      return `${base}/whatsapp/${id}`;
    case 'telegram':
      return `${base}/telegram/${id}`;
    case 'slack':
      return `${base}/slack/${id}`;
    default:
      return null;
  }
}

export function Channels() {
  const { client, session, can } = useSession();
  const channels = useQuery({
    queryKey: ['channels', session.tenantId],
    queryFn: () => ok(client.GET('/v1/channels', { params: { query: { limit: 100 } } })),
    enabled: can('admin'),
  });
  if (!can('admin')) return <p>Only admins see the channels.</p>;
  const rows = channels.data?.data ?? [];
  return (
    <section>
      <h1>Channels</h1>
      <p>
        Where customers reach you. Each provider calls Frontdesk at the address shown; a widget is embedded in
        a site with its snippet instead.
      </p>
      {channels.isSuccess && rows.length === 0 && <p>No channel yet: create one with POST /v1/channels.</p>}
      {rows.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Account</th>
              <th scope="col">Status</th>
              <th scope="col">Last inbound</th>
              <th scope="col">Set up at the provider</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => {
              const address = webhookAddress(c.kind, c.externalAccountId);
              return (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>{c.kind}</td>
                  <td>{c.externalAccountId ?? '—'}</td>
                  <td>
                    <span class={`badge ${c.status}`}>{c.status}</span>
                    {c.lastError && <div class="muted">{c.lastError}</div>}
                  </td>
                  <td>{when(c.lastInboundAt)}</td>
                  <td>
                    {address ? (
                      <code>{address}</code>
                    ) : c.kind === 'widget' ? (
                      <Link href="/widget">Embed snippet</Link>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
