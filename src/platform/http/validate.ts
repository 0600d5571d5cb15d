/**
 * Request input at the edge: JSON bodies are checked for content type, nesting depth and array
 * length before zod sees them; zod failures become one 422 with a field-level error list.
 */
import type { Context } from 'hono';
import { AppError, type FieldError } from '../errors.js';
import type { z } from '../zod.js';
import { type AppEnv, bodyText } from './context.js';

export const MAX_JSON_DEPTH = 16;
export const MAX_ARRAY_LENGTH = 1_000;

function checkShape(value: unknown, depth: number, path: string): void {
  if (depth > MAX_JSON_DEPTH)
    throw new AppError('bad_request', `JSON nested deeper than ${MAX_JSON_DEPTH} levels at ${path || '/'}`);
  if (Array.isArray(value)) {
    if (value.length > MAX_ARRAY_LENGTH) {
      throw new AppError('bad_request', `array longer than ${MAX_ARRAY_LENGTH} items at ${path || '/'}`);
    }
    for (const [i, v] of value.entries()) checkShape(v, depth + 1, `${path}/${i}`);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) checkShape(v, depth + 1, `${path}/${k}`);
  }
}

export function zodErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError('validation_failed', `the ${what} is not valid`, { errors: zodErrors(result.error) });
  }
  return result.data;
}

/** Reads and validates a JSON body: 415 for another content type, 400 for bad JSON, 422 for bad fields. */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new AppError('unsupported_media_type', 'send the body as application/json');
  }
  let raw = (c as Context<AppEnv>).get('body')?.json;
  if (raw === undefined) {
    try {
      raw = JSON.parse(await bodyText(c));
    } catch {
      throw new AppError('bad_request', 'the body is not valid JSON');
    }
  }
  checkShape(raw, 0, '');
  return parseWith(schema, raw, 'request body');
}

/**
 * Refuses query parameters the operation does not define (400 naming them): a misspelt filter
 * (`?stauts=open`) must not silently return everything.
 */
export function refuseUnknownQuery(query: Record<string, string>, allowed: ReadonlySet<string>): void {
  const unknown = Object.keys(query).filter((k) => !allowed.has(k));
  if (unknown.length === 0) return;
  throw new AppError(
    'bad_request',
    `unknown query parameter${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}; this operation takes ${[...allowed].join(', ') || 'none'}`,
    { errors: unknown.map((k) => ({ path: k, message: 'not a parameter of this operation' })) },
  );
}
