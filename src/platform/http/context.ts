import type { Logger } from '../logger.js';
import type { Principal } from './principal.js';

/** Variables every request carries through the middleware chain. */
export interface AppVariables {
  requestId: string;
  log: Logger;
  /** Set on authenticated routes only. */
  principal: Principal;
}

export interface AppEnv {
  Variables: AppVariables;
}
