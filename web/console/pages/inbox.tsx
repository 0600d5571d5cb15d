/** Conversations by status, channel and assignee, with unread counts; refreshed live (live.ts). */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { useSession } from '../app.js';
import { ok } from '../session.js';
import { when } from './format.js';

const STATUSES = ['active', 'waiting', 'resolved', 'closed'] as const;

export function Inbox() {
  const { client, me, session } = useSession();
  const [status, setStatus] = useState<string>('active');
  const [channelId, setChannelId] = useState('');
  const [mine, setMine] = useState(false);
  const channels = useQuery({
    queryKey: ['channels', session.tenantId],
    queryFn: () => ok(client.GET('/v1/channels', { params: { query: { limit: 100 } } })),
  });
  const query: Record<string, string | number> = { limit: 50, sort: '-createdAt' };
  if (status) query.status = status;
  if (channelId) query.channelId = channelId;
  if (mine && me?.userId) query.assignedUserId = me.userId;
  const list = useQuery({
    queryKey: ['conversations', session.tenantId, query],
    queryFn: () => ok(client.GET('/v1/conversations', { params: { query: query as never } })),
  });
  // Unread: the contact's messages since the team last opened each conversation.
  const ids = (list.data?.data ?? []).map((c) => c.id);
  const unread = useQuery({
    queryKey: ['conversations', session.tenantId, 'unread', ids],
    queryFn: () =>
      ok(client.GET('/v1/conversations/unread-counts', { params: { query: { ids: ids.join(',') } } })),
    enabled: ids.length > 0,
  });
  const unreadOf = new Map((unread.data?.data ?? []).map((u) => [u.conversationId, u.unreadCount]));
  const totalUnread = [...unreadOf.values()].filter((n) => n > 0).length;
  const channelName = new Map((channels.data?.data ?? []).map((c) => [c.id, `${c.name} (${c.kind})`]));
  return (
    <section>
      <h1>Inbox {totalUnread > 0 && <span class="badge unread">{totalUnread} unread</span>}</h1>
      <fieldset class="filters">
        <legend class="sr">Filters</legend>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Channel
          <select value={channelId} onChange={(e) => setChannelId((e.target as HTMLSelectElement).value)}>
            <option value="">All</option>
            {(channels.data?.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.kind})
              </option>
            ))}
          </select>
        </label>
        {me?.userId && (
          <label class="check">
            <input
              type="checkbox"
              checked={mine}
              onChange={(e) => setMine((e.target as HTMLInputElement).checked)}
            />
            Assigned to me
          </label>
        )}
      </fieldset>
      {list.isError && <p role="alert">{(list.error as Error).message}</p>}
      <table class="list">
        <caption class="sr">Conversations</caption>
        <thead>
          <tr>
            <th scope="col">Conversation</th>
            <th scope="col">Channel</th>
            <th scope="col">Status</th>
            <th scope="col">Assigned</th>
            <th scope="col">Last message</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.data ?? []).map((c) => (
            <tr key={c.id}>
              <td>
                <Link href={`/conversations/${c.id}`} class={unreadOf.get(c.id) ? 'unread' : ''}>
                  {c.subject ?? `Conversation ${c.id.slice(-6)}`}
                </Link>{' '}
                {(unreadOf.get(c.id) ?? 0) > 0 && (
                  <span class="badge unread">
                    {unreadOf.get(c.id)} <span class="sr">unread</span>
                  </span>
                )}
              </td>
              <td>{(c.channelId && channelName.get(c.channelId)) ?? '—'}</td>
              <td>
                <span class={`badge ${c.status}`}>{c.status}</span>
              </td>
              <td>
                {c.assignedUserId ? (c.assignedUserId === me?.userId ? 'me' : 'a teammate') : 'AI / nobody'}
              </td>
              <td>{when(c.lastMessageAt ?? c.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data && list.data.data.length === 0 && <p>No conversations here.</p>}
    </section>
  );
}
