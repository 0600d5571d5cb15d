/** Renders bench/results/*.json into one markdown summary. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Stats } from './stats.js';

export const RESULTS_DIR = fileURLToPath(new URL('../results', import.meta.url));

type Json = Record<string, unknown>;

function statsTable(title: string, rows: Record<string, Stats>): string[] {
  const out = [`| ${title} | p50 ms | p99 ms | ops/s |`, '|---|---:|---:|---:|'];
  for (const [name, s] of Object.entries(rows)) {
    if (s && typeof s === 'object' && 'p50' in s)
      out.push(`| ${name} | ${s.p50} | ${s.p99} | ${s.opsPerSec} |`);
  }
  return out;
}

/** The machine's load while a suite ran, when it recorded it (a busy machine stretches latencies). */
function loadNote(r: Json): string {
  const load = r.loadAverage as { start: number; end: number } | undefined;
  return load ? `; 1-min load average ${load.start} → ${load.end}` : '';
}

const renderers: Record<string, (engine: string, r: Json) => string[]> = {
  rls: (engine, r) => {
    const lines = [`**${engine}**`, ''];
    for (const op of ['pointLookup', 'list50'] as const) {
      const data = r[op] as Record<string, Stats> & {
        ratioP50: { vsOwnerScoped: number; vsOwnerTx: number; vsOwnerBare: number };
      };
      lines.push(...statsTable(op, data), '');
      const q = data.ratioP50;
      lines.push(
        `withTenant ÷ owner (p50): **${q.vsOwnerScoped}** with the same round trips, ${q.vsOwnerTx} vs. a plain transaction, ${q.vsOwnerBare} vs. a bare query`,
        '',
      );
    }
    return lines;
  },
  api: (engine, r) => {
    const loadNote = (x: Json) => {
      const l = x.loadAverage as { start: number; end: number } | undefined;
      return l ? `; 1-minute load average ${l.start} → ${l.end}` : '';
    };
    const lines = [
      `**${engine}** (concurrency ${r.concurrency}, ${r.requestsPerVariant} requests per variant${loadNote(r)})`,
      '',
    ];
    lines.push('| operation | variant | req/s | p50 ms | p99 ms |', '|---|---|---:|---:|---:|');
    for (const op of ['list', 'create']) {
      const o = r[op] as Record<string, Stats & { requestsPerSec: number }> & {
        throughputRatio: number;
        fullOverPostgraphile?: number;
      };
      for (const v of ['fullStack', 'bareHandler', 'postgraphile']) {
        const s = o[v];
        if (s) lines.push(`| ${op} | ${v} | ${s.requestsPerSec} | ${s.p50} | ${s.p99} |`);
      }
      lines.push(`| ${op} | **full ÷ bare throughput** | **${o.throughputRatio}** | | |`);
      if (o.fullOverPostgraphile !== undefined)
        lines.push(`| ${op} | **full ÷ PostGraphile throughput** | **${o.fullOverPostgraphile}** | | |`);
    }
    if (r.postgraphileSkipped) lines.push('', `PostGraphile peer skipped: ${r.postgraphileSkipped}.`);
    return [...lines, ''];
  },
  'kb-ingest': (engine, r) => {
    const d = r.dataset as Json;
    const pipe = r.pipeline as Json;
    const floor = r.rawSqlFloor as Json;
    return [
      `**${engine}** (${d.documents} documents, ${d.chunks} chunks): pipeline ${pipe.chunksPerSec} chunks/s, ` +
        `raw-SQL floor ${floor.chunksPerSec} chunks/s, **ratio ${r.ratio}** (target ≥ 0.8` +
        `${Array.isArray(r.roundRatios) ? `; by round ${(r.roundRatios as number[]).join(', ')}` : ''})${loadNote(r)}`,
      '',
    ];
  },
  'kb-search': (engine, r) => {
    const d = r.dataset as Json;
    const lines = [
      `**${engine}** (${d.chunks} chunks × ${d.dimensions} dims, ${d.tenants} tenants, ANN threshold ${d.annThreshold}, ${d.queriesPerClass} queries per class)${loadNote(r)}`,
      '',
      '| class | tenants | chunks/tenant | tier | vector p50 ms | vector p99 ms | exact-scan p50 ms | recall@10 | hybrid p50 ms | hybrid p99 ms |',
      '|---|---:|---|---|---:|---:|---:|---:|---:|---:|',
    ];
    for (const [name, c] of Object.entries(r.classes as Record<string, Json>)) {
      const size = c.chunksPerTenant as Json;
      const search = c.search as Stats;
      const hybrid = c.hybridSearch as Stats | undefined;
      lines.push(
        `| ${name} | ${c.tenants} | ${size.min}–${size.max} | ${Object.keys(c.tiers as Json).join(', ')} | ${search.p50} | ${search.p99} | ${(c.exactReference as Stats).p50} | ${c.recallAt10} | ${hybrid?.p50 ?? '–'} | ${hybrid?.p99 ?? '–'} |`,
      );
    }
    const common = (r.classes as Record<string, Json>).large?.hybridCommonWordsOnly as Stats | undefined;
    if (common) {
      lines.push(
        '',
        `Hybrid on a large tenant with a question of words every chunk has (the candidate budget's worst case): p50 ${common.p50} ms, p99 ${common.p99} ms.`,
      );
    }
    return [
      ...lines,
      '',
      `Query embedding round trip (fake local server), p50: ${(r.embeddingCall as Stats).p50} ms.`,
      '',
    ];
  },
  inbound: (engine, r) => {
    const a = r.acknowledge as Record<string, Stats & { acksPerSec: number }> & {
      throughputRatio: number;
      p99Ratio: number;
    };
    const e = r.eventToStoredMessage as Json;
    return [
      `**${engine}** (concurrency ${r.concurrency}, ${r.requestsPerVariant} webhooks per variant)`,
      '',
      '| acknowledgement | acks/s | p50 ms | p99 ms |',
      '|---|---:|---:|---:|',
      `| full path (verify, record, enqueue) | ${a.fullPath!.acksPerSec} | ${a.fullPath!.p50} | ${a.fullPath!.p99} |`,
      `| floor (same inserts, raw SQL) | ${a.floor!.acksPerSec} | ${a.floor!.p50} | ${a.floor!.p99} |`,
      `| **full ÷ floor** | **${a.throughputRatio}** | | ${a.p99Ratio} |`,
      '',
      `Inbound event → stored message, workers woken by ${e.wakeUp ?? `polling every ${e.workerPollingSeconds} s`}:`,
      '',
      '| load | events | sent/s | stored/s | p50 ms | p99 ms |',
      '|---|---:|---:|---:|---:|---:|',
      ...(['paced', 'burst'] as const).map((k) => {
        const x = e[k] as Json;
        return `| ${k} | ${x.events} | ${x.sendRatePerSec} | ${x.storedPerSec} | ${x.p50} | ${x.p99} |`;
      }),
      '',
      ...(e.storedPerAck === undefined
        ? []
        : [
            `Burst stored/s ÷ acks/s of the full path above (acknowledging alone, workers stopped): **${e.storedPerAck}** (target ≥ 0.8 on PostgreSQL; paced p50 target ≤ 50 ms, burst p99 ≤ 2000 ms); 1-min load average ${(r.loadAverage as Json).start} → ${(r.loadAverage as Json).end}`,
            ...(e.storedPerBurstAck === undefined
              ? []
              : [
                  '',
                  `Burst stored/s ÷ the burst's own acks/s (acknowledging while the workers store): **${e.storedPerBurstAck}**`,
                ]),
            '',
          ]),
    ];
  },
  responder: (engine, r) => {
    const res = r.results as Record<string, Stats>;
    return [
      `**${engine}** (${r.faqEntries} FAQ entries; questions to answer, an emergency and an unanswerable one, in turn)`,
      '',
      '| inbound → reply decided and stored | p50 ms | p99 ms | messages/s |',
      '|---|---:|---:|---:|',
      `| in process (the reply job's work called directly) | ${res.direct!.p50} | ${res.direct!.p99} | ${res.direct!.opsPerSec} |`,
      `| through the queue (send, worker, reply) | ${res.viaQueue!.p50} | ${res.viaQueue!.p99} | ${res.viaQueue!.opsPerSec} |`,
      '',
      ...(r.allCoresBusy
        ? (() => {
            const b = r.allCoresBusy as Json;
            const load = r.loadAverage as Json;
            return [
              `Every core busy (${b.cores} cores, ${b.rounds ? `${(b.rounds as Json[]).length} alternated rounds of ` : ''}a backlog of ${b.messages} messages): in process ${b.inProcessPerSec} messages/s, through the queue's reply workers ${b.workersPerSec} messages/s, **ratio ${b.ratio}** (target ≥ 0.9)` +
                (b.rounds
                  ? ` (by round, in process / workers: ${(b.rounds as Json[]).map((x) => `${x.inProcessPerSec} / ${x.workersPerSec}`).join(', ')})`
                  : '') +
                (b.withFollowUps
                  ? `; with every queue's workers, the replies' deliveries and events beside them, ${(b.withFollowUps as Json).workersPerSec} messages/s (ratio ${(b.withFollowUps as Json).ratio})`
                  : '') +
                `; 1-min load average ${load.start} → ${load.end}`,
              '',
            ];
          })()
        : []),
    ];
  },
  ticks: (engine, r) => {
    const s = r.schedule as Json;
    const first = s.firstTick as Json;
    const idle = s.idleTick as Stats;
    const a = r.analytics as Json;
    const all = a.metricsAll as Json;
    const day = a.rollupDay as Stats;
    return [
      `**${engine}**: schedule.tick over ${s.tenants} tenants / ${s.reservations} reservations — first tick ` +
        `${first.sent} sent, ${first.skipped} skipped in ${first.ms} ms (**${first.messagesPerSec} messages/s**); ` +
        `idle tick p50 **${idle.p50} ms**, p99 ${idle.p99} ms. Analytics: metrics for ${a.conversations} conversations ` +
        `in ${all.ms} ms (**${all.conversationsPerSec}/s**), again ${(a.metricsAgain as Json).ms} ms; ` +
        `rollupDay p50 ${day.p50} ms, p99 ${day.p99} ms` +
        (r.loadAverage
          ? `. 1-minute load ${(r.loadAverage as Json).start} → ${(r.loadAverage as Json).end}`
          : ''),
      '',
    ];
  },
  widget: (engine, r) => {
    const tti = r.timeToInteractive as Json;
    return [
      `**${engine}**: /widget.js ${r.rawBytes} bytes, **${r.gzipBytes} bytes gzipped**; time to interactive on a ` +
        `test page (Chromium, cold context) median **${tti.medianMs} ms** (min ${tti.minMs}, max ${tti.maxMs}, ${tti.runs} runs)`,
      '',
    ];
  },
  scale: (_engine, r) => {
    if (r.skipped) return [`${r.skipped}`, ''];
    const lines: string[] = [];
    for (const kind of ['server', 'citus'] as const) {
      const k = r[kind] as Json | undefined;
      if (!k) continue;
      if (k.skipped || k.failed) {
        lines.push(`**${kind}**: ${k.skipped ? `skipped (${k.skipped})` : `failed: ${k.failed}`}`, '');
        continue;
      }
      const small = k.small as Json;
      if (k.measuredAt)
        lines.push(`**${kind}**: measured by an earlier run, ${k.measuredAt} (left out of this one)`, '');
      for (const step of k.steps as Json[]) {
        const size = step.size as Json;
        const secs = Object.values(step.loadSeconds as Record<string, number>).reduce((a, b) => a + b, 0);
        lines.push(
          `**${kind}**: ${size.tenants} tenants, ${size.messagesLoaded} messages (loaded in ${secs.toFixed(0)} s) vs. ` +
            `${small.tenants} tenants, ${small.messages} messages; shared_buffers ${k.sharedBuffers}, ` +
            `cache hit ratio ${step.bufferCacheHitRatio}${loadNote(step)}`,
          '',
          '| tenant · operation | large p50 ms | small p50 ms | p50 ratio | large p99 ms | small p99 ms | p99 ratio |',
          '|---|---:|---:|---:|---:|---:|---:|',
        );
        for (const [op, o] of Object.entries(step.results as Record<string, Json>)) {
          const l = o.large as Stats;
          const sm = o.small as Stats;
          lines.push(
            `| ${op} | ${l.p50} | ${sm.p50} | ${o.p50Ratio} | ${l.p99} | ${sm.p99} | ${o.p99Ratio} |`,
          );
        }
        const plans = step.plans as Record<string, Record<string, string>>;
        lines.push(
          '',
          ...Object.entries(plans).flatMap(([t, p]) =>
            Object.entries(p).map(([q, plan]) => `- plan, ${t} ${q}: ${plan}`),
          ),
          '',
        );
      }
    }
    return lines;
  },
  startup: (engine, r) => {
    const fmt = (x: Json) => `${x.medianMs} ms (min ${x.minMs}, max ${x.maxMs}, ${x.runs} runs)`;
    return [
      `**${engine}**: empty → ${fmt(r.emptyDataFolder as Json)}; existing → ${fmt(r.existingDataFolder as Json)}` +
        (r.existingFromSource
          ? `; existing, from the TypeScript sources through tsx instead of the bundle → ${fmt(r.existingFromSource as Json)}`
          : '') +
        (r.emptyNoSnapshot
          ? `; empty without a snapshot yet (prepared in place, snapshot saved) → ${fmt(r.emptyNoSnapshot as Json)}`
          : '') +
        loadNote(r),
      '',
    ];
  },
};

export function writeSummary(): void {
  const files = readdirSync(RESULTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const lines = [
    '# Benchmark results',
    '',
    'Written by `npm run bench`; each suite file says when and where it ran.',
    '',
  ];
  for (const file of files) {
    const result = JSON.parse(readFileSync(`${RESULTS_DIR}/${file}`, 'utf8')) as Json;
    const m = result.machine as Json;
    lines.push(
      `## ${result.suite}`,
      '',
      `Ran ${result.ranAt} on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}.`,
      ...(result.engineRanAt
        ? [
            '',
            `Engines measured in separate runs: ${Object.entries(result.engineRanAt as Record<string, string>)
              .map(([engine, at]) => `${engine} ${at}`)
              .join(', ')}.`,
          ]
        : []),
      '',
    );
    const render = renderers[result.suite as string];
    for (const [engine, r] of Object.entries(result.engines as Record<string, Json>)) {
      lines.push(...(render ? render(engine, r) : ['```json', JSON.stringify(r, null, 2), '```', '']));
    }
  }
  writeFileSync(`${RESULTS_DIR}/SUMMARY.md`, `${lines.join('\n')}\n`);
}
