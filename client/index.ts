/**
 * A typed client for the Frontdesk API, generated from its OpenAPI document (schema.ts).
 * @example
 *   const fd = createFrontdeskClient({ baseUrl: 'http://127.0.0.1:8787', token: process.env.FRONTDESK_KEY });
 *   const { data } = await fd.GET('/v1/contacts', { params: { query: { limit: 10 } } });
 */
import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

export type { paths };

export function createFrontdeskClient(options: {
  baseUrl: string;
  token?: string;
  headers?: Record<string, string>;
}) {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
  });
}

export type FrontdeskClient = ReturnType<typeof createFrontdeskClient>;
