// The prepare worker's entry (prepare.ts starts it): plain JavaScript that loads the TypeScript
// worker through tsx, as bin/frontdesk.js loads the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./prepare-worker.ts');
