import type { Tx } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { Principal } from './principal.js';

/** Variables every request carries through the middleware chain. */
export interface AppVariables {
  requestId: string;
  log: Logger;
  /** Set on authenticated routes only. */
  principal: Principal;
  /** Set by the operation before authentication: its handler runs in the request's transaction. */
  wantsRequestTx: boolean | undefined;
  /** The request's transaction, opened by authentication (an API key) in the key's tenant. */
  requestTx: Tx | undefined;
}

export interface AppEnv {
  Variables: AppVariables;
}
