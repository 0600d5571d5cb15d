import type { Context } from 'hono';
import { ERRORS, type ErrorCode, type FieldError, problemType } from '../errors.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: ErrorCode;
  requestId?: string;
  errors?: FieldError[];
  /** RFC 9457 extension members (e.g. a quota's `limit`, `allowed`, `used`, `plan`). */
  [extension: string]: unknown;
}

export function problemBody(code: ErrorCode, detail?: string, extras: Partial<Problem> = {}): Problem {
  const { status, title } = ERRORS[code];
  return { type: problemType(code), title, status, code, ...(detail ? { detail } : {}), ...extras };
}

/** Sends an RFC 9457 problem document (`application/problem+json`). */
export function problem(
  c: Context,
  code: ErrorCode,
  detail?: string,
  extras: Partial<Problem> = {},
  headers: Record<string, string> = {},
): Response {
  const body = problemBody(code, detail, { instance: c.req.path, requestId: c.get('requestId'), ...extras });
  return c.body(JSON.stringify(body), body.status as 400, {
    'content-type': 'application/problem+json',
    ...headers,
  });
}
