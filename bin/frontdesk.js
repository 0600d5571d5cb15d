#!/usr/bin/env node
// The `frontdesk` command. Runs the prebuilt bundle (dist/server, made by `npm install`) when it
// is current, otherwise the TypeScript in-process through tsx's loader (./entry.js decides).
// Either way signals (Ctrl-C, SIGTERM) reach the server directly.
import { pathToFileURL } from 'node:url';
import { BUNDLE, chooseEntry } from './entry.js';

if (chooseEntry() === 'bundle') {
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(BUNDLE).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
