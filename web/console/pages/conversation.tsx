/**
 * One conversation: messages with citations and the responder's decision and evidence, internal
 * notes, reply, assign, take over / release to the AI, status, and its pending drafts.
 * Another tenant's conversation is a 404 from the API, shown as the not-found page.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'preact/hooks';
import { useSession } from '../app.js';
import { ApiError, ok } from '../session.js';
import { ApprovalCard, type ApprovalRow } from './approval-card.js';
import { percent, when } from './format.js';
import { NotFound } from './not-found.js';

interface Decision {
  kind?: string;
  reason?: string;
  evidence?: { confidence?: number; threshold?: number; coverage?: number; margin?: number };
}
interface Citation {
  title?: string;
  sourceId?: string;
  score?: number;
}

const ROLE_LABEL: Record<string, string> = {
  user: 'Customer',
  assistant: 'AI',
  agent: 'Agent',
  system: 'System',
};

export function ConversationPage({ id }: { id: string }) {
  const { client, session, me, can } = useSession();
  const queries = useQueryClient();
  const path = { params: { path: { id } } };
  const conversation = useQuery({
    queryKey: ['conversation', id, 'row', session.tenantId],
    queryFn: () => ok(client.GET('/v1/conversations/{id}', path)),
  });
  const messages = useQuery({
    queryKey: ['conversation', id, 'messages', session.tenantId],
    queryFn: () =>
      ok(
        client.GET('/v1/conversations/{id}/messages', {
          params: { path: { id }, query: { limit: 100, sort: 'createdAt' } as never },
        }),
      ),
    enabled: conversation.isSuccess,
  });
  // Seen by the team (agents): on opening, and each time a message arrives while open.
  const seenCount = messages.data?.data.length;
  useEffect(() => {
    if (seenCount === undefined || !can('agent')) return;
    void client
      .POST('/v1/conversations/{id}/seen', { params: { path: { id } } } as never)
      .then(() => queries.invalidateQueries({ queryKey: ['conversations'] }));
  }, [id, seenCount, me?.role]);
  const approvals = useQuery({
    queryKey: ['approvals', session.tenantId, 'conversation', id],
    queryFn: () =>
      ok(
        client.GET('/v1/approvals', {
          params: { query: { conversationId: id, status: 'pending', limit: 20 } as never },
        }),
      ),
    enabled: conversation.isSuccess,
    refetchInterval: 3_000,
  });
  const [text, setText] = useState('');
  const [internal, setInternal] = useState(false);
  const refresh = () => queries.invalidateQueries({ queryKey: ['conversation', id] });
  const reply = useMutation({
    mutationFn: () =>
      ok(
        client.POST('/v1/conversations/{id}/messages', {
          ...path,
          body: { role: 'agent', content: text, isInternal: internal },
        }),
      ),
    onSuccess: () => {
      setText('');
      void refresh();
    },
  });
  const assign = useMutation({
    mutationFn: (userId: string | null) =>
      ok(client.POST('/v1/conversations/{id}/assign', { ...path, body: { userId } })),
    onSuccess: refresh,
  });
  const release = useMutation({
    mutationFn: () => ok(client.POST('/v1/conversations/{id}/release-to-ai', path)),
    onSuccess: refresh,
  });
  const setStatus = useMutation({
    mutationFn: (status: string) =>
      ok(client.POST('/v1/conversations/{id}/set-status', { ...path, body: { status: status as 'active' } })),
    onSuccess: refresh,
  });

  if (
    conversation.error instanceof ApiError &&
    (conversation.error.status === 404 || conversation.error.status === 422)
  )
    return <NotFound what="conversation" />;
  if (!conversation.data) return <p aria-busy="true">Loading…</p>;
  const c = conversation.data;
  const handedOff = Boolean((c.metadata as { handoff?: unknown } | null)?.handoff);
  const failed = reply.error ?? assign.error ?? release.error ?? setStatus.error;
  return (
    <section class="conversation">
      <h1>{c.subject ?? `Conversation ${c.id.slice(-6)}`}</h1>
      <p class="muted">
        <span class={`badge ${c.status}`}>{c.status}</span> · started {when(c.startedAt)} ·{' '}
        {c.assignedUserId
          ? c.assignedUserId === me?.userId
            ? 'assigned to you'
            : 'assigned to a teammate'
          : handedOff
            ? 'handed off, waiting for a person'
            : 'answered by the AI'}
      </p>
      {can('agent') && (
        <fieldset class="actions">
          <legend class="sr">Conversation actions</legend>
          {me?.userId && c.assignedUserId !== me.userId && (
            <button type="button" onClick={() => assign.mutate(me.userId)}>
              Take over (assign to me)
            </button>
          )}
          {c.assignedUserId && (
            <button type="button" onClick={() => assign.mutate(null)}>
              Unassign
            </button>
          )}
          {(c.assignedUserId || handedOff) && (
            <button type="button" onClick={() => release.mutate()}>
              Release to AI
            </button>
          )}
          <label>
            Status
            <select
              value={c.status}
              onChange={(e) => setStatus.mutate((e.target as HTMLSelectElement).value)}
            >
              {['active', 'waiting', 'resolved', 'closed'].map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
      )}
      {failed && <p role="alert">{(failed as Error).message}</p>}
      <ol class="messages" aria-label="Messages">
        {(messages.data?.data ?? []).map((m) => {
          const decision = (m.metadata as { responder?: Decision } | null)?.responder;
          const citations = Array.isArray(m.citations) ? (m.citations as Citation[]) : [];
          return (
            <li key={m.id} class={`message ${m.role}${m.isInternal ? ' internal' : ''}`}>
              <div class="meta">
                <strong>{m.isInternal ? 'Internal note' : (ROLE_LABEL[m.role] ?? m.role)}</strong> ·{' '}
                {when(m.createdAt)}
                {m.confidence !== null && <> · confidence {percent(m.confidence)}</>}
              </div>
              <p>{m.content}</p>
              {citations.length > 0 && (
                <ul class="citations" aria-label="Citations">
                  {citations.map((ci, i) => (
                    <li key={`${ci.sourceId}-${i}`}>
                      {ci.title ?? ci.sourceId}{' '}
                      {typeof ci.score === 'number' && <span class="muted">({ci.score.toFixed(2)})</span>}
                    </li>
                  ))}
                </ul>
              )}
              {decision && (
                <details>
                  <summary>Responder: {decision.kind}</summary>
                  {decision.reason && <p>{decision.reason}</p>}
                  {decision.evidence && (
                    <dl class="evidence">
                      <dt>confidence</dt>
                      <dd>{percent(decision.evidence.confidence)}</dd>
                      <dt>threshold</dt>
                      <dd>{percent(decision.evidence.threshold)}</dd>
                      <dt>coverage</dt>
                      <dd>{percent(decision.evidence.coverage)}</dd>
                      <dt>margin</dt>
                      <dd>{percent(decision.evidence.margin)}</dd>
                    </dl>
                  )}
                </details>
              )}
            </li>
          );
        })}
      </ol>
      {((approvals.data?.data ?? []) as ApprovalRow[]).map((a) => (
        <ApprovalCard key={a.id} approval={a} showLink={false} />
      ))}
      {can('agent') && (
        <form
          class="card reply"
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) reply.mutate();
          }}
        >
          <label>
            {internal ? 'Internal note' : 'Reply'}
            <textarea
              rows={3}
              value={text}
              onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
            />
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={internal}
              onChange={(e) => setInternal((e.target as HTMLInputElement).checked)}
            />
            Internal note (not sent to the customer)
          </label>
          <button type="submit" class="primary" disabled={reply.isPending}>
            {internal ? 'Add note' : 'Send reply'}
          </button>
        </form>
      )}
    </section>
  );
}
