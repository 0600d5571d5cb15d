/** FAQ: categories and their questions; add, edit, switch off, delete; index them into the knowledge base. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import type { components } from '../../../client/schema.js';
import { useSession } from '../app.js';
import { ok } from '../session.js';

type Item = components['schemas']['FaqItem'];
const slugOf = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'faq';

export function Faq() {
  const { client, session, can } = useSession();
  const queries = useQueryClient();
  const categories = useQuery({
    queryKey: ['faq-categories', session.tenantId],
    queryFn: () => ok(client.GET('/v1/faq-categories', { params: { query: { limit: 100 } as never } })),
  });
  const items = useQuery({
    queryKey: ['faq-items', session.tenantId],
    queryFn: () => ok(client.GET('/v1/faq-items', { params: { query: { limit: 100 } as never } })),
  });
  const [name, setName] = useState('');
  const addCategory = useMutation({
    mutationFn: () => ok(client.POST('/v1/faq-categories', { body: { name, slug: slugOf(name) } })),
    onSuccess: () => {
      setName('');
      void queries.invalidateQueries({ queryKey: ['faq-categories'] });
    },
  });
  const sync = useMutation({
    mutationFn: () => ok(client.POST('/v1/knowledge/faq/sync')),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['knowledge-sources'] }),
  });
  const admin = can('admin');
  const cats = [...(categories.data?.data ?? [])].sort((a, b) => a.displayOrder - b.displayOrder);
  return (
    <section>
      <h1>FAQ</h1>
      <p class="muted">
        The AI answers from the knowledge base: after editing, index the FAQ so its answers use the new text.
      </p>
      {admin && (
        <div class="actions">
          <button type="button" class="primary" disabled={sync.isPending} onClick={() => sync.mutate()}>
            Index the FAQ into the knowledge base
          </button>
          {sync.isSuccess && <span role="status">Indexing: the FAQ source is being updated.</span>}
          {sync.error && <span role="alert">{(sync.error as Error).message}</span>}
        </div>
      )}
      {categories.data && cats.length === 0 && <p>No FAQ category yet.</p>}
      {cats.map((c) => (
        <section key={c.id} class="card" aria-labelledby={`cat-${c.id}`}>
          <h2 id={`cat-${c.id}`}>{c.name}</h2>
          {(items.data?.data ?? [])
            .filter((i) => i.categoryId === c.id)
            .sort((a, b) => a.displayOrder - b.displayOrder)
            .map((i) => (
              <FaqEntry key={i.id} item={i} />
            ))}
          {admin && <FaqEntry categoryId={c.id} />}
        </section>
      ))}
      {admin && (
        <form
          class="card"
          aria-label="New category"
          onSubmit={(e) => {
            e.preventDefault();
            addCategory.mutate();
          }}
        >
          <div class="filters">
            <label>
              Category name
              <input required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
            </label>
            <button type="submit" disabled={addCategory.isPending}>
              Add category
            </button>
          </div>
          {addCategory.error && <p role="alert">{(addCategory.error as Error).message}</p>}
        </form>
      )}
    </section>
  );
}

/** One question and answer, edited in place (admins), or a blank one to add to `categoryId`. */
function FaqEntry({ item, categoryId }: { item?: Item; categoryId?: string }) {
  const { client, can } = useSession();
  const queries = useQueryClient();
  const [question, setQuestion] = useState(item?.question ?? '');
  const [answer, setAnswer] = useState(item?.answer ?? '');
  const [active, setActive] = useState(item?.isActive ?? true);
  const done = () => queries.invalidateQueries({ queryKey: ['faq-items'] });
  const save = useMutation({
    mutationFn: () =>
      item
        ? ok(
            client.PATCH('/v1/faq-items/{id}', {
              params: { path: { id: item.id } },
              body: { question, answer, isActive: active },
            }),
          )
        : ok(client.POST('/v1/faq-items', { body: { categoryId: categoryId!, question, answer } })),
    onSuccess: () => {
      if (!item) {
        setQuestion('');
        setAnswer('');
      }
      void done();
    },
  });
  const remove = useMutation({
    mutationFn: () =>
      ok(client.DELETE('/v1/faq-items/{id}', { params: { path: { id: item!.id } } } as never)),
    onSuccess: done,
  });
  if (!can('admin')) {
    return item ? (
      <details>
        <summary>{item.question}</summary>
        <p>{item.answer}</p>
      </details>
    ) : null;
  }
  const label = item ? `Question: ${item.question}` : 'New question';
  return (
    <form
      class="faq"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <label>
        Question
        <input required value={question} onInput={(e) => setQuestion((e.target as HTMLInputElement).value)} />
      </label>
      <label>
        Answer
        <textarea
          required
          rows={2}
          value={answer}
          onInput={(e) => setAnswer((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <div class="actions">
        {item && (
          <label class="check">
            <input
              type="checkbox"
              checked={active}
              onChange={(e) => setActive((e.target as HTMLInputElement).checked)}
            />
            Active
          </label>
        )}
        <button type="submit" class={item ? '' : 'primary'} disabled={save.isPending}>
          {item ? 'Save' : 'Add question'}
        </button>
        {item && (
          <button type="button" class="danger" onClick={() => remove.mutate()}>
            Delete
          </button>
        )}
        {save.isSuccess && item && <span role="status">Saved.</span>}
      </div>
      {(save.error ?? remove.error) && <p role="alert">{((save.error ?? remove.error) as Error).message}</p>}
    </form>
  );
}
