/**
 * Tests only: every JSON response an operation sends is checked against the schema the OpenAPI
 * document gives for that operation and status, so the documentation cannot drift from what is
 * served. The check reads the very document `/openapi.json` serves (JSON Schema 2020-12, as
 * OpenAPI 3.1 uses), with Ajv. A mismatch is a 500 problem naming the operation and the field:
 * loud in any test that makes the request. Ajv is a development dependency, loaded on first use.
 */
import { AppError } from '../errors.js';
import type { ResponseCheck } from './api-context.js';

type Validate = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string }[] | null;
};
interface Validator {
  compile(schema: object): Validate;
  addSchema(schema: object, key: string): void;
}

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** A checker over the document `document()` returns (built on first use). */
export function responseCheck(document: () => unknown): ResponseCheck {
  let ajv: Promise<Validator> | undefined;
  const compiled = new Map<string, Validate | null>();
  const load = async (): Promise<Validator> => {
    const { Ajv2020 } = (await import('ajv/dist/2020.js')) as unknown as {
      Ajv2020: new (o: object) => Validator;
    };
    const v = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    v.addSchema(JSON.parse(JSON.stringify(document())) as object, 'doc');
    return v;
  };
  return async (method, docPath, response) => {
    if (!(response.headers.get('content-type') ?? '').startsWith('application/json')) return;
    ajv ??= load();
    const v = await ajv;
    const doc = document() as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const declared = doc.paths[docPath]?.[method]?.responses ?? {};
    const where = `${method.toUpperCase()} ${docPath} ${response.status}`;
    const documented = declared[String(response.status)] as { content?: Record<string, unknown> } | undefined;
    if (!documented) throw new AppError('internal', `response check: ${where} is not a documented status`);
    if (!documented.content?.['application/json']) return;
    const key = `${method} ${docPath} ${response.status}`;
    if (!compiled.has(key)) {
      const ref = `doc#/${pointer('paths', docPath, method, 'responses', String(response.status), 'content', 'application/json', 'schema')}`;
      compiled.set(key, v.compile({ $ref: ref }));
    }
    const validate = compiled.get(key)!;
    const body = (await response.clone().json()) as unknown;
    if (validate && !validate(body)) {
      const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`);
      throw new AppError(
        'internal',
        `response check: ${where} does not match its documented schema: ${errors.join('; ')}`,
      );
    }
  };
}
