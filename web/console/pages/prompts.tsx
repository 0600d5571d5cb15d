/** An agent's prompt versions: write a new one, publish, roll back, and each version's figures. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import type { components } from '../../../client/schema.js';
import { useSession } from '../app.js';
import { ok } from '../session.js';
import { percent, when } from './format.js';

type Version = components['schemas']['PromptVersion'];

export function PromptVersions({ agentId }: { agentId: string }) {
  const { client, session, can } = useSession();
  const queries = useQueryClient();
  const versions = useQuery({
    queryKey: ['prompt-versions', session.tenantId, agentId],
    queryFn: () =>
      ok(client.GET('/v1/prompt-versions', { params: { query: { agentId, limit: 100 } as never } })),
  });
  const refresh = () => queries.invalidateQueries({ queryKey: ['prompt-versions'] });
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'publish' | 'rollback' }) =>
      action === 'publish'
        ? ok(client.POST('/v1/prompt-versions/{id}/publish', { params: { path: { id } } } as never))
        : ok(client.POST('/v1/prompt-versions/{id}/rollback', { params: { path: { id } } } as never)),
    onSettled: refresh,
  });
  const list = [...(versions.data?.data ?? [])].sort((a, b) => b.version - a.version);
  return (
    <section aria-labelledby="prompts">
      <h2 id="prompts">Prompt versions</h2>
      {can('admin') && <NewVersion agentId={agentId} latest={list[0]} onCreated={refresh} />}
      {act.error && <p role="alert">{(act.error as Error).message}</p>}
      {versions.data && list.length === 0 && (
        <p>No prompt yet: the agent answers with the built-in prompt.</p>
      )}
      {list.map((v) => (
        <article key={v.id} class="card" aria-label={`Prompt version ${v.version}`}>
          <header class="actions">
            <strong>Version {v.version}</strong>
            {v.isPublished && <span class="badge active">published</span>}
            <span class="muted">
              {v.isPublished ? `published ${when(v.publishedAt)}` : `written ${when(v.createdAt)}`}
            </span>
            {can('admin') && !v.isPublished && (
              <button type="button" onClick={() => act.mutate({ id: v.id, action: 'publish' })}>
                Publish <span class="sr">version {v.version}</span>
              </button>
            )}
            {can('admin') && v.isPublished && list.some((o) => o.version < v.version) && (
              <button type="button" onClick={() => act.mutate({ id: v.id, action: 'rollback' })}>
                Roll back <span class="sr">version {v.version}</span>
              </button>
            )}
          </header>
          {v.notes && <p>{v.notes}</p>}
          <details>
            <summary>The prompt</summary>
            <pre>{v.content}</pre>
          </details>
          <Figures version={v} />
        </article>
      ))}
    </section>
  );
}

function NewVersion({
  agentId,
  latest,
  onCreated,
}: {
  agentId: string;
  latest: Version | undefined;
  onCreated: () => void;
}) {
  const { client } = useSession();
  const [content, setContent] = useState<string | null>(null);
  const [notes, setNotes] = useState('');
  const text = content ?? latest?.content ?? '';
  const create = useMutation({
    mutationFn: () =>
      ok(client.POST('/v1/prompt-versions', { body: { agentId, content: text, notes: notes || null } })),
    onSuccess: () => {
      setContent(null);
      setNotes('');
      onCreated();
    },
  });
  return (
    <form
      class="card"
      aria-label="New prompt version"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) create.mutate();
      }}
    >
      <label>
        System prompt
        <textarea
          rows={5}
          value={text}
          required
          onInput={(e) => setContent((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <label>
        What changed
        <input value={notes} onInput={(e) => setNotes((e.target as HTMLInputElement).value)} />
      </label>
      {create.error && <p role="alert">{(create.error as Error).message}</p>}
      <div class="actions">
        <button type="submit" class="primary" disabled={create.isPending}>
          Save as a new version
        </button>
        <span class="muted">New versions are not live until published.</span>
      </div>
    </form>
  );
}

/** What the responder did with one version (GET /v1/prompt-versions/{id}/stats). */
function Figures({ version }: { version: Version }) {
  const { client, session } = useSession();
  const stats = useQuery({
    queryKey: ['prompt-version-stats', session.tenantId, version.id],
    queryFn: () => ok(client.GET('/v1/prompt-versions/{id}/stats', { params: { path: { id: version.id } } })),
  });
  const s = stats.data;
  if (!s) return null;
  const figures: [string, string | number][] = [
    ['Answers sent', s.answersSent],
    ['Drafts', s.drafts],
    ['Approved', s.approvalsApproved],
    ['Edited', s.approvalsEdited],
    ['Rejected', s.approvalsRejected],
    ['Hand-offs', s.handoffs],
    ['Escalations', s.escalations],
    ['Average confidence', percent(s.averageConfidence)],
    ['Tokens', s.tokensTotal.toLocaleString()],
    ['Cost', `$${(s.costMicros / 1e6).toFixed(4)}`],
  ];
  return (
    <dl class="stats small">
      {figures.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
