#!/usr/bin/env node
// The `frontdesk` command. Runs the prebuilt bundle (dist/server, made by `npm install`) when it
// is current, otherwise the TypeScript in-process through tsx's loader (./entry.js decides).
// Either way signals (Ctrl-C, SIGTERM) reach the server directly.
import { fileURLToPath } from 'node:url';
import { chooseEntry } from './entry.js';

const bundle = new URL('../dist/server/main.mjs', import.meta.url);
const sources = fileURLToPath(new URL('../src/', import.meta.url));

if (chooseEntry({ bundle: fileURLToPath(bundle), sources }) === 'bundle') {
  process.setSourceMapsEnabled(true);
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
