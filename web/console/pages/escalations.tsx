/** Escalations: acknowledge, resolve. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { useSession } from '../app.js';
import { ok } from '../session.js';
import { when } from './format.js';

export function Escalations() {
  const { client, session, can } = useSession();
  const queries = useQueryClient();
  const [status, setStatus] = useState('open');
  const list = useQuery({
    queryKey: ['escalations', session.tenantId, status],
    queryFn: () => ok(client.GET('/v1/escalations', { params: { query: { status, limit: 50 } as never } })),
  });
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'acknowledge' | 'resolve' }) =>
      action === 'acknowledge'
        ? ok(client.POST('/v1/escalations/{id}/acknowledge', { params: { path: { id } } }))
        : ok(client.POST('/v1/escalations/{id}/resolve', { params: { path: { id } }, body: {} })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['escalations'] }),
  });
  return (
    <section>
      <h1>Escalations</h1>
      <label>
        Status
        <select value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
          {['open', 'acknowledged', 'resolved', 'false_positive'].map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      {act.error && <p role="alert">{(act.error as Error).message}</p>}
      {(list.data?.data ?? []).map((e) => (
        <article key={e.id} class="card" aria-label={`Escalation: ${e.summary}`}>
          <header>
            <span class={`badge sev-${e.severity}`}>{e.severity}</span> {e.type} · {when(e.createdAt)}
          </header>
          <p>{e.summary}</p>
          {e.suggestedAction && <p class="muted">Suggested: {e.suggestedAction}</p>}
          <div class="actions">
            {e.conversationId && <Link href={`/conversations/${e.conversationId}`}>Open conversation</Link>}
            {can('agent') && e.status === 'open' && (
              <button type="button" onClick={() => act.mutate({ id: e.id, action: 'acknowledge' })}>
                Acknowledge
              </button>
            )}
            {can('agent') && (e.status === 'open' || e.status === 'acknowledged') && (
              <button
                type="button"
                class="primary"
                onClick={() => act.mutate({ id: e.id, action: 'resolve' })}
              >
                Resolve
              </button>
            )}
          </div>
        </article>
      ))}
      {list.data && list.data.data.length === 0 && <p>No {status} escalations.</p>}
    </section>
  );
}
