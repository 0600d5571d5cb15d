/**
 * One check at the edge, before any route runs: text the database cannot store or would store
 * altered is refused with 400, whatever the route. PostgreSQL text cannot hold U+0000 (a NUL
 * in a value used to end as a 500), and invalid UTF-8 used to be stored as U+FFFD.
 *
 * Checked: the path and the query string (percent-decoded, strictly), JSON bodies (string values
 * and keys, after parsing: `\u0000` and lone surrogates too), url-encoded forms and the text
 * fields of multipart forms. Documents (file parts, a raw upload body of any type) are the
 * ingester's business: it answers 422 for binary or invalid text, as documented. A body is read once and stays cached for the route (Hono's body cache).
 *
 * @example app.use('/v1/*', inputGuard());
 */
import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../errors.js';
import type { AppEnv } from './context.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be stored as sent, or undefined when it can. */
export function textFault(text: string): string | undefined {
  if (text.includes('\u0000')) return 'a NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'an unpaired UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

const refuse = (where: string, fault: string) =>
  new AppError('bad_request', `the ${where} contains ${fault}; send valid UTF-8 text without NUL characters`);

/** Percent-decodes one URL component, refusing malformed escapes and invalid UTF-8. */
function decodeComponent(raw: string, where: string, plusIsSpace: boolean): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(plusIsSpace ? raw.replaceAll('+', ' ') : raw);
  } catch {
    throw refuse(where, 'a malformed percent-escape or invalid UTF-8');
  }
  const fault = textFault(decoded);
  if (fault) throw refuse(where, fault);
  return decoded;
}

/** Checks every name and value of `a=b&c=d` (a query string or a url-encoded body). */
export function checkFormEncoded(raw: string, where: string): void {
  for (const pair of raw.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq), where, true);
    if (eq >= 0) decodeComponent(pair.slice(eq + 1), `${where} parameter "${name}"`, true);
  }
}

/** Walks parsed JSON: every string value and every key. */
function checkJson(value: unknown, path: string): void {
  if (typeof value === 'string') {
    const fault = textFault(value);
    if (fault) throw refuse(`JSON value at ${path || '/'}`, fault);
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) checkJson(v, `${path}/${i}`);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const fault = textFault(k);
      if (fault) throw refuse(`JSON key at ${path || '/'}`, fault);
      checkJson(v, `${path}/${k}`);
    }
  }
}

function decodeBody(bytes: ArrayBuffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw refuse('body', 'bytes that are not valid UTF-8');
  }
}

async function checkBody(c: Context<AppEnv>): Promise<void> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (/^application\/(?:[\w.+-]+\+)?json\b/.test(type)) {
    const text = decodeBody(await c.req.arrayBuffer());
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      c.set('body', { text });
      return; // not JSON: the route answers that (400) in its own words
    }
    checkJson(parsed, '');
    c.set('body', { text, json: parsed }); // read once: the operation takes it from here
  } else if (type.startsWith('application/x-www-form-urlencoded')) {
    const text = decodeBody(await c.req.arrayBuffer());
    checkFormEncoded(text, 'form body');
    c.set('body', { text });
  } else if (type.startsWith('multipart/form-data')) {
    let form: FormData;
    try {
      form = await c.req.formData();
    } catch {
      return; // not a readable form: the route answers that
    }
    for (const [name, value] of form.entries()) {
      const nameFault = textFault(name);
      if (nameFault) throw refuse('form field name', nameFault);
      if (typeof value !== 'string') continue;
      // The form parser decodes text fields leniently: invalid bytes arrive as U+FFFD.
      const fault =
        textFault(value) ?? (value.includes('\uFFFD') ? 'bytes that are not valid UTF-8' : undefined);
      if (fault) throw refuse(`form field "${name}"`, fault);
    }
  }
}

export function inputGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = c.req.url;
    const start = url.indexOf('/', url.indexOf('//') + 2);
    const q = url.indexOf('?', start);
    const path = q < 0 ? url.slice(start) : url.slice(start, q);
    for (const segment of path.split('/')) decodeComponent(segment, 'path', false);
    if (q >= 0) checkFormEncoded(url.slice(q + 1).split('#')[0]!, 'query string');
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') await checkBody(c);
    await next();
  };
}
