/** Brand voices: how the AI writes (tone, phrases to use and to avoid); write, edit, make one the default. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import type { components } from '../../../client/schema.js';
import { useSession } from '../app.js';
import { ok } from '../session.js';

type Voice = components['schemas']['BrandVoice'];
interface Draft {
  name: string;
  toneGuidelines: string;
  approvedPhrases: string;
  forbiddenPhrases: string;
}
const EMPTY: Draft = { name: '', toneGuidelines: '', approvedPhrases: '', forbiddenPhrases: '' };
const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export function BrandVoices() {
  const { client, session, can } = useSession();
  const queries = useQueryClient();
  const voices = useQuery({
    queryKey: ['brand-voices', session.tenantId],
    queryFn: () => ok(client.GET('/v1/brand-voices', { params: { query: { limit: 100 } as never } })),
  });
  const [editing, setEditing] = useState<Voice | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const refresh = () => queries.invalidateQueries({ queryKey: ['brand-voices'] });
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: draft.name,
        toneGuidelines: draft.toneGuidelines,
        approvedPhrases: lines(draft.approvedPhrases),
        forbiddenPhrases: lines(draft.forbiddenPhrases),
      };
      return editing
        ? ok(client.PATCH('/v1/brand-voices/{id}', { params: { path: { id: editing.id } }, body }))
        : ok(client.POST('/v1/brand-voices', { body }));
    },
    onSuccess: () => {
      setEditing(null);
      setDraft(EMPTY);
      void refresh();
    },
  });
  const makeDefault = useMutation({
    mutationFn: (id: string) =>
      ok(client.POST('/v1/brand-voices/{id}/set-default', { params: { path: { id } } } as never)),
    onSettled: refresh,
  });
  const edit = (v: Voice) => {
    setEditing(v);
    setDraft({
      name: v.name,
      toneGuidelines: v.toneGuidelines,
      approvedPhrases: v.approvedPhrases.join('\n'),
      forbiddenPhrases: v.forbiddenPhrases.join('\n'),
    });
  };
  const set = (k: keyof Draft) => (e: Event) =>
    setDraft({ ...draft, [k]: (e.target as HTMLInputElement | HTMLTextAreaElement).value });
  const field = (k: keyof Draft, label: string) => (
    <label>
      {label}
      <input value={draft[k]} required onInput={set(k)} />
    </label>
  );
  const area = (k: keyof Draft, label: string, rows: number) => (
    <label>
      {label}
      <textarea rows={rows} value={draft[k]} onInput={set(k)} />
    </label>
  );
  return (
    <section aria-labelledby="voices">
      <h2 id="voices">Brand voices</h2>
      {makeDefault.error && <p role="alert">{(makeDefault.error as Error).message}</p>}
      {voices.data?.data.length === 0 && <p>No brand voice yet.</p>}
      {(voices.data?.data ?? []).map((v) => (
        <article key={v.id} class="card" aria-label={`Brand voice ${v.name}`}>
          <header class="actions">
            <strong>{v.name}</strong>
            {v.isDefault && <span class="badge active">default</span>}
            {can('admin') && !v.isDefault && (
              <button type="button" onClick={() => makeDefault.mutate(v.id)}>
                Make default <span class="sr">{v.name}</span>
              </button>
            )}
            {can('admin') && (
              <button type="button" onClick={() => edit(v)}>
                Edit <span class="sr">{v.name}</span>
              </button>
            )}
          </header>
          <p>{v.toneGuidelines}</p>
          {v.approvedPhrases.length > 0 && <p class="muted">Say: {v.approvedPhrases.join(' · ')}</p>}
          {v.forbiddenPhrases.length > 0 && <p class="muted">Never say: {v.forbiddenPhrases.join(' · ')}</p>}
        </article>
      ))}
      {can('admin') && (
        <form
          class="card"
          aria-label={editing ? `Edit brand voice ${editing.name}` : 'New brand voice'}
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <h3>{editing ? `Edit “${editing.name}”` : 'New brand voice'}</h3>
          {field('name', 'Voice name')}
          {area('toneGuidelines', 'Tone guidelines', 3)}
          {area('approvedPhrases', 'Phrases to use (one a line)', 2)}
          {area('forbiddenPhrases', 'Phrases never to use (one a line)', 2)}
          {save.error && <p role="alert">{(save.error as Error).message}</p>}
          <div class="actions">
            <button type="submit" class="primary" disabled={save.isPending}>
              {editing ? 'Save voice' : 'Add voice'}
            </button>
            {editing && (
              <button
                type="button"
                onClick={() => {
                  setEditing(null);
                  setDraft(EMPTY);
                }}
              >
                Cancel
              </button>
            )}
          </div>
        </form>
      )}
    </section>
  );
}
