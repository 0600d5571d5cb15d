/**
 * The api suite's peer: PostGraphile 4, a well-known API generated from a PostgreSQL schema,
 * serving Frontdesk's own tables with their own RLS policies. Each request runs in a transaction
 * as the request role `frontdesk_app` with `app.tenant_id` set (PostGraphile's `pgSettings`:
 * `set_config(…, true)` on BEGIN), which is what `current_tenant_id()` and the policies read.
 * No API keys, rate limits, idempotency or audit: PostGraphile has none of them; the tenant is
 * fixed for the run, as a JWT claim would fix it.
 *
 * Server engine only: PostGraphile needs a PostgreSQL server it connects to with node-postgres,
 * and an embedded PGlite has no socket to connect to.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { REQUEST_ROLE } from '../../src/platform/db/tenant.js';

/** Every column of a contact, as the bare handler's `RETURNING *` and Frontdesk's list return them. */
const CONTACT_FIELDS = `tenantId id accountId name email phone role isPrimary sentiment linkedinUrl avatarUrl
  tags externalId notes firstSeenAt lastSeenAt metadata createdAt updatedAt`;

const LIST = `query { allContacts(first: 20, orderBy: PRIMARY_KEY_DESC) { nodes { ${CONTACT_FIELDS} } } }`;
const CREATE = `mutation ($id: UUID!, $name: String!, $email: String!) {
  createContact(input: { contact: { id: $id, name: $name, email: $email } }) { contact { ${CONTACT_FIELDS} } }
}`;

export async function postgraphilePeer(url: string, tenantId: string, poolSize: number) {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const handler = postgraphile(pool, 'public', {
    pgSettings: { role: REQUEST_ROLE, 'app.tenant_id': tenantId },
    disableQueryLog: true,
    retryOnInitFail: false,
    setofFunctionsContainNulls: false,
    ignoreRBAC: false,
  });
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const post = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    // GraphQL answers errors with 200: a request that failed is a failed request here.
    const text = await response.text();
    if (text.includes('"errors":')) throw new Error(`postgraphile: ${text.slice(0, 500)}`);
    return new Response(null, { status: response.status });
  };
  return {
    list: () => post(LIST),
    create: (id: string, i: number) => post(CREATE, { id, name: `G ${i}`, email: `g${i}@bench.test` }),
    async close() {
      await new Promise((r) => server.close(r));
      await handler.release();
      await pool.end();
    },
  };
}
