/**
 * Every operation of the route table, fed what an attacker or a careless client sends: NUL,
 * invalid UTF-8, overlong strings and values of the wrong type, in path parameters, documented
 * query parameters and every documented body field (one field at a time, the rest from the
 * documented example), plus whole bodies of raw invalid bytes. The answer is always a 4xx problem
 * document, never a 5xx. The route table and the OpenAPI document drive it, so a new operation is
 * fuzzed the moment it is registered.
 */
import { beforeAll, expect, it } from 'vitest';
import { makeTenant, type TestTenant, useTestApi } from '../helpers/api.js';

const api = useTestApi();
let T: TestTenant;
beforeAll(async () => {
  // A plan roomy enough that the rate limit never answers for the checks.
  T = await makeTenant(api.db, { requestsPerMinute: 1_000_000 });
});

type Schema = Record<string, unknown> & { $ref?: string; properties?: Record<string, Schema> };
interface Operation {
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema; example?: Record<string, unknown> }> };
}

const OVERLONG = 'x'.repeat(100_001);
const UUID = '01950000-0000-7000-8000-00000000f022';
/** Path parameter values, already percent-encoded. */
const PATH_VALUES = ['%00', 'a%00b', '%FF%FE%C0%AF', 'x'.repeat(5_000), '%ED%A0%80', UUID, "'%3B--"];
const QUERY_VALUES = ['%00', '%FF%FE', 'x'.repeat(5_000), '-1', '1e309', '%5B%5D', 'true'];

/** A value of the wrong type for a field of this schema. */
function wrongType(schema: Schema): unknown {
  const types = [schema.type, ...((schema.anyOf as Schema[] | undefined) ?? []).map((s) => s.type)];
  if (types.includes('string')) return { not: 'a string' };
  if (types.includes('number') || types.includes('integer')) return '12abc';
  if (types.includes('boolean')) return 'yes';
  if (types.includes('array')) return 'not-an-array';
  return [[[1]]];
}

it('answers every operation’s bad input with a 4xx problem, never a 5xx', { timeout: 600_000 }, async () => {
  const doc = api.app.api.document() as unknown as {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, Schema> };
  };
  const resolve = (s: Schema | undefined): Schema | undefined =>
    s?.$ref ? doc.components.schemas[s.$ref.split('/').pop()!] : s;
  const failures: string[] = [];
  let sent = 0;

  const send = async (method: string, path: string, body?: string | Buffer, type = 'application/json') => {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${T.keys.owner}`,
        ...(body === undefined ? {} : { 'content-type': type }),
      },
      ...(body === undefined ? {} : { body }),
    });
    sent++;
    const text = await res.text();
    const label = `${method} ${path.slice(0, 120)} ${body === undefined ? '' : String(body).slice(0, 80)}`;
    if (res.status >= 500) failures.push(`${res.status} ${label}: ${text.slice(0, 200)}`);
    else if (res.status >= 400 && !res.headers.get('content-type')?.startsWith('application/problem+json'))
      failures.push(`${res.status} without a problem document: ${label}`);
  };

  for (const entry of api.app.api.routes) {
    const method = entry.method.toUpperCase();
    const op = doc.paths[entry.path.replace(/:(\w+)/g, '{$1}')]?.[entry.method];
    const params = entry.path.match(/:\w+/g) ?? [];
    const withParams = (value: string) => params.reduce((p, name) => p.replace(name, value), entry.path);
    const path = withParams(UUID);
    const hasBody = method !== 'GET' && method !== 'DELETE';

    for (const value of PATH_VALUES)
      if (params.length) await send(method, withParams(value), hasBody ? '{}' : undefined);

    for (const q of op?.parameters?.filter((p) => p.in === 'query') ?? [])
      for (const value of QUERY_VALUES) await send(method, `${path}?${encodeURIComponent(q.name)}=${value}`);

    if (!hasBody) continue;
    const json = op?.requestBody?.content?.['application/json'];
    const schema = resolve(json?.schema);
    const example = json?.example ?? {};
    const fields = Object.entries(schema?.properties ?? {});
    await send(
      method,
      path,
      Buffer.concat([Buffer.from('{"x":"'), Buffer.from([0xff, 0xfe, 0xc0]), Buffer.from('"}')]),
    );
    await send(method, path, '{"\\u0000":1,"a":"\\u0000","b":"\\udc00"}');
    await send(method, path, '[]');
    await send(method, path, '"just a string"');
    for (const [name, field] of fields) {
      for (const value of ['a\u0000b', OVERLONG, wrongType(field), null, -1e308, '\uD800'])
        await send(method, path, JSON.stringify({ ...example, [name]: value }));
    }
  }

  expect(sent).toBeGreaterThan(1_000);
  expect(failures).toEqual([]);
});
