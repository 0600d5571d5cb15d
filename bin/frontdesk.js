#!/usr/bin/env node
// Runs the TypeScript CLI in-process through tsx's loader, so `frontdesk` needs no build step
// and signals (Ctrl-C, SIGTERM) reach the server directly.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
