import type { Context } from 'hono';
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

/**
 * Sets a header on the response a middleware got back from `next()`. Hono's `c.header` would
 * make the whole response again once it is finalized (with the Node adapter, a web Response and
 * its body stream, on every request); the response's own headers are set in place instead. A
 * response whose headers are immutable (one returned by `fetch`) goes through `c.header`.
 */
export function setResponseHeader(
  c: Context,
  name: string,
  value: string,
  options?: { append?: boolean },
): void {
  if (!c.finalized) return c.header(name, value, options);
  try {
    if (options?.append) c.res.headers.append(name, value);
    else c.res.headers.set(name, value);
  } catch {
    c.header(name, value, options);
  }
}
