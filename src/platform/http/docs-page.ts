/** `/docs`: a human reference rendered from the OpenAPI document itself, with no external assets. */
type Doc = {
  paths?: Record<string, Record<string, Op>>;
  info: { title: string; description?: string };
  components?: { responses?: Record<string, { description?: string }> };
};
type Response = { description?: string; $ref?: string };
type Op = {
  summary?: string;
  description?: string;
  operationId?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown; example?: unknown }> };
  responses?: Record<string, Response>;
};

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);

export function renderDocs(doc: Doc): string {
  // Shared responses (`#/components/responses/…`) are described once; show their description.
  const described = (r: Response) =>
    r.$ref ? doc.components?.responses?.[r.$ref.split('/').pop()!]?.description : r.description;
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? 'Other';
      const params = (op.parameters ?? [])
        .map((p) => `<code>${esc(p.name)}</code> (${p.in}${p.required ? ', required' : ''})`)
        .join(', ');
      const body = op.requestBody?.content?.['application/json'];
      const example = body?.example ? `<pre>${esc(JSON.stringify(body.example, null, 2))}</pre>` : '';
      const responses = Object.entries(op.responses ?? {})
        .map(([code, r]) => `<li><b>${code}</b> ${esc(described(r) ?? '')}</li>`)
        .join('');
      const html = `<section id="${esc(op.operationId ?? `${method}-${path}`)}">
  <h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code></h3>
  <p>${esc(op.summary ?? '')}</p>${op.description ? `<p>${esc(op.description).replaceAll('\n', '<br>')}</p>` : ''}
  ${params ? `<p>Parameters: ${params}</p>` : ''}${example ? `<p>Example body:</p>${example}` : ''}
  <details><summary>Responses</summary><ul>${responses}</ul></details>
</section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const nav = [...byTag.keys()].map((t) => `<a href="#tag-${esc(t)}">${esc(t)}</a>`).join(' · ');
  const sections = [...byTag.entries()]
    .map(([t, ops]) => `<h2 id="tag-${esc(t)}">${esc(t)}</h2>${ops.join('\n')}`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(doc.info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d2330}
code,pre{font:13px ui-monospace,monospace;background:#f3f4f7;border-radius:4px;padding:.1rem .3rem}pre{padding:.6rem;overflow:auto}
section{border-top:1px solid #e2e4ea;padding:.4rem 0}.m{font-size:12px;padding:.1rem .4rem;border-radius:4px;color:#fff}
.get{background:#2f7d4f}.post{background:#2d5bb9}.patch{background:#a86b12}.delete{background:#b2342c}nav{margin:1rem 0}</style></head>
<body><h1>${esc(doc.info.title)}</h1><p>${esc(doc.info.description ?? '')}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p><nav>${nav}</nav>${sections}</body></html>`;
}
