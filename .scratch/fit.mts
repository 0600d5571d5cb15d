import { readFileSync } from 'node:fs';
import { auc, fitLogistic } from '/work/main/eval/helpcenters/stats.js';
const r = JSON.parse(readFileSync('/work/main/eval/results/helpcenters.json', 'utf8'));
const rows: any[] = [];
for (const [c, d] of Object.entries<any>(r.corpora)) for (const e of d.perQuestion) if (e.responder.evidence) rows.push({ c, split: e.split, y: e.answerable ? 1 : 0, ok: e.responder.correctCitation, ev: e.responder.evidence });
const sets: Record<string, string[]> = {
  all: ['coverage','titleCoverage','margin','agreement','unknownShare','knownCoverage','unknownWords','unknownSalience','salientShare','sourceCoverage','missingPeak','strength','similarity'],
  compact: ['coverage','sourceCoverage','titleCoverage','margin','agreement','salientShare','unknownSalience','strength','similarity'],
  small: ['coverage','sourceCoverage','titleCoverage','margin','agreement','salientShare','strength'],
  tiny: ['sourceCoverage','coverage','salientShare','margin'],
  old: ['coverage','titleCoverage','margin','agreement','unknownShare','knownCoverage','unknownWords','strength','similarity'],
};
for (const [name, keys] of Object.entries(sets)) {
  const X = (x: any) => [1, ...keys.map((k) => x.ev[k])];
  const dev = rows.filter((x) => x.split === 'dev');
  const w = fitLogistic(dev.map((x) => ({ x: X(x), y: x.y })));
  const z = (x: any) => X(x).reduce((a: number, v: number, i: number) => a + v * w[i], 0);
  const neg = dev.filter((x) => x.y === 0).map(z).sort((a, b) => b - a);
  const cut = neg[Math.floor(0.1 * neg.length)] + 1e-6;
  const out: string[] = [];
  for (const split of ['dev', 'test']) {
    for (const c of ['github-docs', 'nextcloud']) {
      const s = rows.filter((x) => x.split === split && x.c === c);
      const p = s.filter((x) => x.y === 1), n = s.filter((x) => x.y === 0);
      const a = auc(p.map(z), n.map(z));
      const sc = p.filter((x) => x.ok && z(x) >= cut).length / p.length;
      const us = n.filter((x) => z(x) >= cut).length / n.length;
      out.push(`${split}/${c.slice(0,2)} auc ${a.toFixed(3)} sc ${sc.toFixed(2)} us ${us.toFixed(2)}`);
    }
  }
  console.log(name.padEnd(8), out.join(' | '));
  if (process.argv[2] === name) console.log(Object.fromEntries(['bias', ...keys].map((k, i) => [k, Math.round(w[i] * 1000) / 1000])), 'cut', cut);
}
