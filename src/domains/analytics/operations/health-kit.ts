/** The account health the health operations answer with (the `account_health` view). */
import { sql } from 'drizzle-orm';
import { rows, type Tx } from '../../../platform/db/database.js';
import { z } from '../../../platform/zod.js';

type Row = Record<string, unknown>;

export const healthResponse = z
  .object({
    id: z.string(),
    name: z.string(),
    arrCents: z.number().nullable(),
    healthScore: z.number().int().nullable(),
    stage: z.string(),
    relationshipStatus: z.string(),
    stakeholderCount: z.number().int(),
    meetingCount: z.number().int(),
    concernCount: z.number().int(),
    lastMeeting: z.string().nullable(),
    lastInteraction: z.string().nullable(),
  })
  .openapi('AccountHealth');

/** One account's health, timestamps as ISO 8601; undefined when the tenant has no such account. */
export async function healthOf(tx: Tx, id: string): Promise<Row | undefined> {
  const [row] = await rows<Row>(
    tx,
    sql`SELECT id, name, arr_cents::float8 AS "arrCents", health_score AS "healthScore", stage,
          relationship_status AS "relationshipStatus", stakeholder_count::int AS "stakeholderCount",
          meeting_count::int AS "meetingCount", concern_count::int AS "concernCount",
          last_meeting AS "lastMeeting", last_interaction AS "lastInteraction"
        FROM account_health WHERE id = ${id}::uuid`,
  );
  if (!row) return undefined;
  // Raw results carry timestamps as Date or as text depending on the driver: answer ISO 8601.
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
  return { ...row, lastMeeting: iso(row.lastMeeting), lastInteraction: iso(row.lastInteraction) };
}
