/** What the operations that create knowledge sources share: the audit entry and the 201 answer. */
import type { Context } from 'hono';
import type { Tx } from '../../../platform/db/database.js';
import { audit } from '../../../platform/http/audit.js';
import type { AppEnv } from '../../../platform/http/context.js';
import { type Row, respond, serialize } from '../operation-kit.js';

/** Audits a created source (without its content) in the transaction that creates it. */
export const auditCreate = (c: Context<AppEnv>) => (tx: Tx, row: Row) =>
  audit(tx, c, {
    action: 'knowledge-sources.create',
    resourceType: 'knowledge-sources',
    resourceId: row.id as string,
    newValues: serialize(row, ['content']),
  });

/** 201 with the source, its Location and ETag. */
export const created = (c: Context<AppEnv>, row: Row) => {
  c.header('location', `/v1/knowledge-sources/${row.id}`);
  return respond(c, serialize(row), 201);
};

/** Comma-separated tags of a form field or query parameter. */
export const tagList = (raw: string | undefined) =>
  (raw ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
