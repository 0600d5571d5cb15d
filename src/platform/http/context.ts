import type { Context } from 'hono';
import type { Tx } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { Principal, Role } from './principal.js';

/** Variables every request carries through the middleware chain. */
export interface AppVariables {
  requestId: string;
  log: Logger;
  /** Set on authenticated routes only. */
  principal: Principal;
  /** Set by the operation before authentication: its handler runs in the request's transaction. */
  wantsRequestTx: boolean | undefined;
  /**
   * Set with it when the operation sends a statement before anything else
   * (`entersWithFirstStatement`): the role it needs, checked again once the credential's check is
   * back.
   */
  firstStatementRole: Role | undefined;
  /** The request's transaction, opened by authentication (an API key) in the key's tenant. */
  requestTx: Tx | undefined;
  /** A JSON or form body as the input guard read it (strict UTF-8), and the JSON it parsed to. */
  body: { text: string; json?: unknown } | undefined;
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
  if (c.finalized) {
    try {
      if (options?.append) c.res.headers.append(name, value);
      else c.res.headers.set(name, value);
      return;
    } catch {
      // immutable headers: c.header makes the response again
    }
  }
  c.header(name, value, options);
}

/** The request body as text: the input guard's reading when it made one, else read now. */
export async function bodyText(c: Context): Promise<string> {
  return (c as Context<AppEnv>).get('body')?.text ?? (await c.req.text());
}
