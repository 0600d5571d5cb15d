/**
 * Responder eval: how often the offline default decides right on labelled messages from the five
 * demo tenants' flavours. Each message is classified, checked against its tenant's escalation
 * categories, and otherwise answered by the offline chat provider from the tenant's FAQ, then
 * gated by the tenant's confidence threshold (answer or hand off; drafts count as hand-offs,
 * since nothing is sent without a human).
 *
 * Retrieval here ranks the tenant's FAQ by shared content words (what the keyword retriever
 * does in SQL), so the run needs no database.
 *
 *   npm run eval:responder            # table per decision
 *   npm run eval:responder -- --json  # machine-readable
 *   npm run eval:responder -- --misses
 */
import { decide, type Labelled, loadEvalSet } from './decide.js';

const data = loadEvalSet();

const kindOf = (label: string) => label.split(':')[0]!;

async function main() {
  const args = new Set(process.argv.slice(2));
  const results: Array<Labelled & { decided: string }> = [];
  for (const m of data.messages) {
    const spec = data.tenants[m.tenant];
    if (!spec) throw new Error(`unknown tenant ${m.tenant}`);
    results.push({ ...m, decided: await decide(spec, m.text) });
  }
  const decisions = ['answer', 'escalate', 'handoff'];
  const perDecision = decisions.map((d) => {
    const labelled = results.filter((r) => kindOf(r.label) === d);
    const decided = results.filter((r) => kindOf(r.decided) === d);
    const exact = labelled.filter((r) => r.decided === r.label).length;
    const truePositive = labelled.filter((r) => kindOf(r.decided) === d).length;
    return {
      decision: d,
      n: labelled.length,
      accuracy: labelled.length ? exact / labelled.length : 0,
      recall: labelled.length ? truePositive / labelled.length : 0,
      precision: decided.length ? decided.filter((r) => kindOf(r.label) === d).length / decided.length : 0,
    };
  });
  const overall = results.filter((r) => r.decided === r.label).length / results.length;
  const misses = results.filter((r) => r.decided !== r.label);
  if (args.has('--json')) {
    console.log(JSON.stringify({ n: results.length, accuracy: overall, perDecision, misses }, null, 2));
    return;
  }
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
  console.log(`Responder eval (offline default): ${results.length} labelled messages\n`);
  console.log('decision    n  accuracy  recall  precision');
  for (const d of perDecision) {
    console.log(
      `${d.decision.padEnd(9)} ${String(d.n).padStart(3)}  ${pct(d.accuracy)} ${pct(d.recall)} ${pct(d.precision)}`,
    );
  }
  console.log(`\noverall accuracy (exact decision incl. category): ${pct(overall).trim()}`);
  if (args.has('--misses')) {
    console.log('\nmisses:');
    for (const r of misses) console.log(`  [${r.tenant}] ${r.label} → ${r.decided}: ${r.text}`);
  }
}

await main();
