/** One pending draft: approve as is, edit then send, or reject. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { useSession } from '../app.js';
import { ok } from '../session.js';
import { percent, when } from './format.js';

export interface ApprovalRow {
  id: string;
  conversationId: string | null;
  draftContent: string | null;
  status: string;
  expiresAt: string | null;
  createdAt: string;
  metadata: unknown;
}

export function ApprovalCard({ approval, showLink = true }: { approval: ApprovalRow; showLink?: boolean }) {
  const { client, can } = useSession();
  const queries = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(approval.draftContent ?? '');
  const done = () => {
    void queries.invalidateQueries({ queryKey: ['approvals'] });
    void queries.invalidateQueries({ queryKey: ['conversation'] });
  };
  const params = { params: { path: { id: approval.id } } };
  const approve = useMutation({
    mutationFn: () => ok(client.POST('/v1/approvals/{id}/approve', { ...params, body: {} })),
    onSuccess: done,
  });
  const edit = useMutation({
    mutationFn: () =>
      ok(client.POST('/v1/approvals/{id}/edit', { ...params, body: { editedContent: text } })),
    onSuccess: done,
  });
  const reject = useMutation({
    mutationFn: () => ok(client.POST('/v1/approvals/{id}/reject', { ...params, body: {} })),
    onSuccess: done,
  });
  const failed = approve.error ?? edit.error ?? reject.error;
  const confidence = (approval.metadata as { provenance?: { confidence?: number } } | null)?.provenance
    ?.confidence;
  return (
    <article class="card approval" aria-label="Draft reply awaiting approval">
      <header>
        <strong>Draft reply</strong> · confidence {percent(confidence)} · {when(approval.createdAt)}
        {showLink && approval.conversationId && (
          <>
            {' · '}
            <Link href={`/conversations/${approval.conversationId}`}>open conversation</Link>
          </>
        )}
      </header>
      {editing ? (
        <label>
          Edited reply
          <textarea rows={4} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
        </label>
      ) : (
        <blockquote>{approval.draftContent}</blockquote>
      )}
      {failed && <p role="alert">{(failed as Error).message}</p>}
      {can('agent') && (
        <div class="actions">
          {editing ? (
            <>
              <button type="button" class="primary" onClick={() => edit.mutate()} disabled={edit.isPending}>
                Send edited reply
              </button>
              <button type="button" onClick={() => setEditing(false)}>
                Cancel
              </button>
            </>
          ) : (
            <>
              <button
                type="button"
                class="primary"
                onClick={() => approve.mutate()}
                disabled={approve.isPending}
              >
                Approve and send
              </button>
              <button type="button" onClick={() => setEditing(true)}>
                Edit
              </button>
              <button
                type="button"
                class="danger"
                onClick={() => reject.mutate()}
                disabled={reject.isPending}
              >
                Reject
              </button>
            </>
          )}
        </div>
      )}
    </article>
  );
}
