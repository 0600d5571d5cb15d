import type { Logger } from '../logger.js';

/** Variables every request carries through the middleware chain. */
export interface AppVariables {
  requestId: string;
  log: Logger;
}

export interface AppEnv {
  Variables: AppVariables;
}
