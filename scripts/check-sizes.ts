/**
 * `npm run lint:sizes`: a file in src/ over MAX_LINES lines (tests aside) must say in its header
 * comment why it is one file, on a line starting `Size`. Functions are held to 80 lines by biome
 * (`noExcessiveLinesPerFunction`, biome.json), outside tests and the declarative demo data.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MAX_LINES = 300;

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) yield path;
  }
}

const header = (text: string): string => (text.startsWith('/**') ? text.slice(0, text.indexOf('*/')) : '');

const unexplained: string[] = [];
for (const path of sourceFiles('src')) {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n').length;
  if (lines > MAX_LINES && !/^ \* Size\b/m.test(header(text))) unexplained.push(`${path}: ${lines} lines`);
}
if (unexplained.length > 0) {
  console.error(
    `Files over ${MAX_LINES} lines without a "Size" line in their header saying why:\n  ${unexplained.join('\n  ')}`,
  );
  process.exit(1);
}
console.log(`lint:sizes: every file in src/ over ${MAX_LINES} lines says why in its header`);
