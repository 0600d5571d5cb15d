/**
 * Knowledge base: upload a file or add a web page, the sources with status, progress and errors,
 * search with `explain`.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { useSession } from '../app.js';
import { ApiError, ok } from '../session.js';
import { when } from './format.js';

interface SearchResult {
  chunkId: string;
  sourceTitle: string;
  content: string;
  score: number;
  headingPath: string[];
}
interface SearchResponse {
  mode: string;
  tier: string;
  results: SearchResult[];
  explain?: {
    tsQuery: string;
    terms: { term: string; weight: number; df: number; correctedFrom?: string }[];
    results: { chunkId: string; vector: { rank: number } | null; keyword: { rank: number } | null }[];
  };
}

export function Knowledge() {
  const { client, session, can } = useSession();
  const queries = useQueryClient();
  const sources = useQuery({
    queryKey: ['knowledge-sources', session.tenantId],
    queryFn: () =>
      ok(
        client.GET('/v1/knowledge-sources', {
          params: { query: { limit: 100, sort: '-createdAt' } as never },
        }),
      ),
    // Ingestion runs as a job: follow its progress while any source is still being processed.
    refetchInterval: (q) =>
      q.state.data?.data.some((s) => s.status === 'queued' || s.status === 'processing') ? 1_000 : false,
  });
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: async () => {
      const form = new FormData();
      form.set('file', file!);
      const res = await fetch('/v1/knowledge-sources/upload', {
        method: 'POST',
        headers: { authorization: `Bearer ${session.token}`, 'frontdesk-tenant': session.tenantId },
        body: form,
      });
      if (!res.ok)
        throw new ApiError(res.status, (await res.json().catch(() => ({}))) as ApiError['problem']);
      return res.json();
    },
    onSuccess: () => queries.invalidateQueries({ queryKey: ['knowledge-sources'] }),
  });
  const [pageUrl, setPageUrl] = useState('');
  const addUrl = useMutation({
    mutationFn: () => ok(client.POST('/v1/knowledge-sources', { body: { kind: 'url', url: pageUrl } })),
    onSuccess: () => {
      setPageUrl('');
      return queries.invalidateQueries({ queryKey: ['knowledge-sources'] });
    },
  });
  const [q, setQ] = useState('');
  const [mode, setMode] = useState<'hybrid' | 'keyword' | 'vector'>('hybrid');
  const [explain, setExplain] = useState(false);
  const search = useMutation({
    mutationFn: () =>
      ok(
        client.POST('/v1/knowledge/search', { body: { query: q, mode, explain, k: 5 } }),
      ) as unknown as Promise<SearchResponse>,
  });
  return (
    <section>
      <h1>Knowledge base</h1>
      {can('admin') && (
        <form
          class="card"
          onSubmit={(e) => {
            e.preventDefault();
            if (file) upload.mutate();
          }}
        >
          <h2>Upload</h2>
          <label>
            Document (text, Markdown, HTML, PDF, DOCX)
            <input type="file" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)} />
          </label>
          {upload.error && <p role="alert">{(upload.error as Error).message}</p>}
          {upload.isSuccess && <p role="status">Uploaded; it is being processed.</p>}
          <button type="submit" class="primary" disabled={!file || upload.isPending}>
            Upload
          </button>
        </form>
      )}
      {can('admin') && (
        <form
          class="card"
          aria-label="Add a web page"
          onSubmit={(e) => {
            e.preventDefault();
            if (pageUrl) addUrl.mutate();
          }}
        >
          <h2>Add a web page</h2>
          <label>
            Page address (https://…)
            <input
              type="url"
              required
              value={pageUrl}
              onInput={(e) => setPageUrl((e.target as HTMLInputElement).value)}
            />
          </label>
          {addUrl.error && <p role="alert">{(addUrl.error as Error).message}</p>}
          {addUrl.isSuccess && <p role="status">Added; the page is being fetched and processed.</p>}
          <button type="submit" class="primary" disabled={!pageUrl || addUrl.isPending}>
            Add page
          </button>
        </form>
      )}
      <h2>Sources</h2>
      <table class="list">
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            <th scope="col">Chunks</th>
            <th scope="col">Added</th>
          </tr>
        </thead>
        <tbody>
          {(sources.data?.data ?? []).map((s) => (
            <tr key={s.id}>
              <td>
                {s.title ?? s.url}
                {s.fileName && s.fileName !== s.title && <span class="muted"> ({s.fileName})</span>}
              </td>
              <td>{s.kind}</td>
              <td>
                <span class={`badge ${s.status}`}>{s.status}</span>
                {s.error && <span class="error-text"> {s.error}</span>}
              </td>
              <td>{s.chunkCount}</td>
              <td>{when(s.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Search</h2>
      <form
        class="filters"
        aria-label="Search the knowledge base"
        onSubmit={(e) => {
          e.preventDefault();
          if (q.trim()) search.mutate();
        }}
      >
        <label>
          Query
          <input type="search" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Mode
          <select
            value={mode}
            onChange={(e) => setMode((e.target as HTMLSelectElement).value as typeof mode)}
          >
            <option value="hybrid">hybrid</option>
            <option value="keyword">keyword</option>
            <option value="vector">vector</option>
          </select>
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={explain}
            onChange={(e) => setExplain((e.target as HTMLInputElement).checked)}
          />
          Explain
        </label>
        <button type="submit" class="primary">
          Search
        </button>
      </form>
      {search.error && <p role="alert">{(search.error as Error).message}</p>}
      {search.data && (
        <div aria-live="polite">
          <p class="muted">
            {search.data.results.length} results · {search.data.mode} · {search.data.tier}
          </p>
          <ol class="results">
            {search.data.results.map((r) => {
              const ex = search.data.explain?.results.find((e) => e.chunkId === r.chunkId);
              return (
                <li key={r.chunkId} class="card">
                  <strong>{r.sourceTitle}</strong>{' '}
                  {r.headingPath.length > 0 && <span class="muted">› {r.headingPath.join(' › ')}</span>}{' '}
                  <span class="muted">score {r.score.toFixed(3)}</span>
                  {ex && (
                    <span class="muted">
                      {' '}
                      · vector rank {ex.vector?.rank ?? '—'} · keyword rank {ex.keyword?.rank ?? '—'}
                    </span>
                  )}
                  <p>{r.content.slice(0, 400)}</p>
                </li>
              );
            })}
          </ol>
          {search.data.explain && (
            <details open>
              <summary>Query terms</summary>
              <p>
                <code>{search.data.explain.tsQuery}</code>
              </p>
              <ul>
                {search.data.explain.terms.map((t) => (
                  <li key={t.term}>
                    {t.term}
                    {t.correctedFrom && ` (from “${t.correctedFrom}”)`}: weight {t.weight.toFixed(2)}, in{' '}
                    {t.df} passages
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </section>
  );
}
