/**
 * `frontdesk kb ingest <file|url>... --tenant <slug>`: adds documents to a tenant's knowledge base
 * (several at once in one transaction, `createSources`) and runs their ingestion here (the same
 * jobs the server's workers run), with a progress bar on a terminal. `frontdesk kb search "<query>" --tenant <slug>`: searches it.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { inArray } from 'drizzle-orm';
import { createSources, INGEST_JOB, type SourceInput, TIER_JOB } from '../../domains/knowledge/ingest.js';
import { SEARCH_MODES, type SearchMode, searchKnowledge } from '../../domains/knowledge/search.js';
import { type KnowledgeSource, knowledgeSources } from '../../domains/knowledge/tables.js';
import { tenantBySlug } from '../../domains/tenancy/lookup.js';
import { createJobs } from '../../jobs.js';
import { systemClock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import type { Platform } from '../../platform/jobs.js';
import type { Command, CommandContext } from '../command.js';
import { reportUserError, withDatabase } from '../runtime-helpers.js';

const USAGE = `Usage:
  frontdesk kb ingest <file|url>... --tenant <slug> [--title <title>] [--tags a,b] [--json]
  frontdesk kb search "<query>" --tenant <slug> [--mode vector|keyword|hybrid] [--k <n>] [--json]

ingest reads text, Markdown, HTML, PDF or DOCX files, or fetches http(s) URLs, then chunks and
embeds them (progress on stderr); several documents are added all or none (--title needs one). search prints the best passages with their source and score.
`;

/** `[#####-----]  50% embedding` on one terminal line. */
function renderBar(progress: number, label: string): string {
  const width = 30;
  const filled = Math.round((progress / 100) * width);
  return `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(progress).padStart(3)}% ${label}`;
}

/** What one file or URL argument becomes (a file over the size limit is refused before it is read). */
async function inputFor(
  platform: Platform,
  target: string,
  common: { title?: string; tags: string[] },
): Promise<SourceInput> {
  if (/^https?:\/\//i.test(target)) return { kind: 'url', url: target, ...common };
  const size = (await stat(target)).size;
  if (size > platform.config.knowledge.maxBytes) {
    throw new AppError(
      'payload_too_large',
      `${target} is ${size} bytes, over the limit of ${platform.config.knowledge.maxBytes} bytes`,
    );
  }
  return { kind: 'file', bytes: await readFile(target), fileName: basename(target), ...common };
}

async function ingest(
  db: Database,
  platform: Platform,
  tenantId: string,
  targets: string[],
  v: Record<string, unknown>,
) {
  const common = {
    ...(v.title ? { title: v.title as string } : {}),
    tags: ((v.tags as string | undefined) ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  };
  const inputs: SourceInput[] = [];
  for (const target of targets) inputs.push(await inputFor(platform, target, common));
  const jobs = createJobs(platform);
  try {
    const ids = (await createSources({ ...platform, jobs }, tenantId, inputs)).map((s) => s.id);
    const tty = process.stderr.isTTY;
    let last = -1;
    const read = async (): Promise<KnowledgeSource[]> => {
      const rows = await withTenant(db, tenantId, (tx) =>
        tx.select().from(knowledgeSources).where(inArray(knowledgeSources.id, ids)),
      );
      return ids.map((id) => rows.find((r) => r.id === id)!);
    };
    /** The bar shows the mean progress; its label the first source not yet ready. */
    const bar = (rows: KnowledgeSource[]) =>
      renderBar(
        Math.floor(rows.reduce((n, r) => n + r.progress, 0) / rows.length),
        (rows.find((r) => r.status !== 'ready') ?? rows[0]!).status,
      );
    const timer = tty
      ? setInterval(async () => {
          const rows = await read().catch(() => undefined);
          const progress = rows?.reduce((n, r) => n + r.progress, 0);
          if (rows && progress !== last) {
            last = progress!;
            process.stderr.write(bar(rows));
          }
        }, 200)
      : undefined;
    try {
      await jobs.drain({ names: [INGEST_JOB, TIER_JOB] });
    } finally {
      clearInterval(timer);
    }
    const done = await read();
    if (tty) process.stderr.write(`${bar(done)}\n`);
    if (v.json) process.stdout.write(`${JSON.stringify(done.length === 1 ? done[0] : done, null, 2)}\n`);
    let code = 0;
    for (const [i, source] of done.entries()) {
      if (source.status !== 'ready') {
        process.stderr.write(
          `frontdesk: ingestion of ${targets[i]} ${source.status}: ${source.error ?? 'not finished'}\n`,
        );
        code = 1;
      } else if (!v.json) {
        process.stdout.write(
          `ingested ${targets[i]} as "${source.title}": ${source.chunkCount} chunks (source ${source.id})\n`,
        );
      }
    }
    return code;
  } finally {
    await jobs.stop();
  }
}

export const kbCommand: Command = {
  usage: USAGE,
  async run(args, ctx: CommandContext) {
    const [sub, ...rest] = args;
    let parsed: ReturnType<
      typeof parseArgs<{
        args: string[];
        allowPositionals: true;
        options: Record<string, { type: 'string' | 'boolean' }>;
      }>
    >;
    try {
      parsed = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          tenant: { type: 'string' },
          title: { type: 'string' },
          tags: { type: 'string' },
          mode: { type: 'string' },
          k: { type: 'string' },
          json: { type: 'boolean' },
        },
      });
    } catch (error) {
      process.stderr.write(`frontdesk kb: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    const { values: v, positionals } = parsed;
    const documents = sub === 'ingest' ? positionals.length >= 1 : positionals.length === 1;
    if (!['ingest', 'search'].includes(sub ?? '') || !v.tenant || !documents) {
      process.stderr.write(USAGE);
      return 2;
    }
    if (sub === 'ingest' && v.title && positionals.length > 1) {
      process.stderr.write('frontdesk kb: --title needs a single document\n');
      return 2;
    }
    const mode = v.mode as SearchMode | undefined;
    if (mode !== undefined && !SEARCH_MODES.includes(mode)) {
      process.stderr.write(`frontdesk kb: --mode must be one of ${SEARCH_MODES.join(', ')}\n`);
      return 2;
    }
    const k = v.k === undefined ? undefined : Number(v.k);
    if (k !== undefined && !(Number.isInteger(k) && k >= 1 && k <= 50)) {
      process.stderr.write('frontdesk kb: --k must be a whole number from 1 to 50\n');
      return 2;
    }
    return withDatabase(ctx.config, async (db) => {
      const tenant = await tenantBySlug(db, v.tenant as string);
      if (!tenant) {
        process.stderr.write(`frontdesk: no tenant with slug "${v.tenant}"\n`);
        return 2;
      }
      const platform: Platform = { db, logger: ctx.logger, clock: systemClock, config: ctx.config };
      try {
        if (sub === 'ingest') return await ingest(db, platform, tenant.id, positionals, v);
        const res = await searchKnowledge(platform, tenant.id, {
          query: positionals[0]!,
          ...(mode ? { mode } : {}),
          ...(k ? { k } : {}),
        });
        if (v.json) {
          process.stdout.write(`${JSON.stringify(res, null, 2)}\n`);
          return 0;
        }
        process.stdout.write(`${res.results.length} results (${res.mode}, ${res.tier} search)\n`);
        for (const [i, r] of res.results.entries()) {
          const where = [r.sourceTitle, ...r.headingPath].join(' › ');
          const text = r.content.replace(/\s+/g, ' ');
          process.stdout.write(
            `\n${i + 1}. ${where}  [score ${r.score.toFixed(4)}, chars ${r.startOffset}–${r.endOffset}]\n   ${text.length > 300 ? `${text.slice(0, 300)}…` : text}\n`,
          );
        }
        return 0;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          process.stderr.write(`frontdesk: no such file: ${(error as NodeJS.ErrnoException).path}\n`);
          return 2;
        }
        return reportUserError(error);
      }
    });
  },
};
