/**
 * Builds the browser code with Vite: the console (a Preact single-page app, into dist/web/console)
 * and the embeddable widget (one self-contained IIFE, dist/web/widget.js). Runs from `npm install`
 * (the `prepare` script) and `npm run build:web`; `npm start` serves the output
 * (src/platform/http/web-assets.ts).
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { build, type InlineConfig } from 'vite';

const root = fileURLToPath(new URL('../web/', import.meta.url));
const out = fileURLToPath(new URL('../dist/web/', import.meta.url));

const common: InlineConfig = { configFile: false, logLevel: 'warn', plugins: [preact()] };

export async function buildWeb(): Promise<void> {
  // The API reference's renderer (Scalar), served from /docs/scalar.js rather than a CDN.
  await mkdir(out, { recursive: true });
  const scalar = createRequire(import.meta.url).resolve('@scalar/api-reference/browser/standalone.js');
  await copyFile(scalar, `${out}scalar.js`);
  await build({
    ...common,
    root: `${root}console`,
    base: '/',
    build: { outDir: `${out}console`, emptyOutDir: true, chunkSizeWarningLimit: 1000 },
  });
  await build({
    ...common,
    root: `${root}widget`,
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      outDir: out,
      emptyOutDir: false,
      lib: {
        entry: `${root}widget/main.tsx`,
        formats: ['iife'],
        name: 'FrontdeskWidget',
        fileName: () => 'widget.js',
      },
      minify: true,
    },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildWeb();
  process.stdout.write('built dist/web/console and dist/web/widget.js\n');
}
