/**
 * Prompt versions as a resource (resourceOperations). Created by create-prompt-version.ts (the
 * server numbers them); immutable apart from `notes`: a change of prompt is a new version. At
 * most one version per agent is published; `publish` moves that mark in one transaction, so a
 * rollback is publishing an older version.
 */
import { and, desc, eq, lt, ne } from 'drizzle-orm';
import { AppError } from '../../../platform/errors.js';
import type { ActionSpec, ResourceSpec } from '../../../platform/http/resource.js';
import { actingUser } from '../../conversations/acting-user.js';
import { promptVersions } from '../tables.js';
import { lockAgent, PROMPT_EXAMPLE } from './kit.js';

const publish: ActionSpec = {
  name: 'publish',
  summary: 'Publish this version (rollback = publish an older one)',
  role: 'admin',
  async apply(row, _body, { tx, c, clock }) {
    // Already live: nothing to move (and no agent lock, which could deadlock with a publisher).
    if (row.isPublished) return { isPublished: true };
    await lockAgent(tx, row.tenantId as string, row.agentId as string);
    // The partial unique index allows one published version per agent: unpublish first.
    await tx
      .update(promptVersions)
      .set({ isPublished: false })
      .where(
        and(
          eq(promptVersions.agentId, row.agentId as string),
          eq(promptVersions.isPublished, true),
          ne(promptVersions.id, row.id as string),
        ),
      );
    return { isPublished: true, publishedAt: clock.now(), publishedBy: actingUser(c) };
  },
};

const rollback: ActionSpec = {
  name: 'rollback',
  summary: 'Roll back: publish the agent’s previous version instead of this published one',
  role: 'admin',
  async apply(row, _body, { tx, c, clock }) {
    if (!row.isPublished) throw new AppError('conflict', 'only the published version can be rolled back');
    await lockAgent(tx, row.tenantId as string, row.agentId as string);
    const [previous] = await tx
      .select({ id: promptVersions.id })
      .from(promptVersions)
      .where(
        and(
          eq(promptVersions.agentId, row.agentId as string),
          lt(promptVersions.version, row.version as number),
        ),
      )
      .orderBy(desc(promptVersions.version))
      .limit(1);
    if (!previous) throw new AppError('conflict', 'there is no earlier version to roll back to');
    // One published version per agent (partial unique index): this one steps down first.
    await tx
      .update(promptVersions)
      .set({ isPublished: false })
      .where(eq(promptVersions.id, row.id as string));
    await tx
      .update(promptVersions)
      .set({ isPublished: true, publishedAt: clock.now(), publishedBy: actingUser(c) })
      .where(eq(promptVersions.id, previous.id));
    return { isPublished: false };
  },
};

const unpublish: ActionSpec = {
  name: 'unpublish',
  summary: 'Unpublish this version (the agent then has no published prompt)',
  role: 'admin',
  apply: () => ({ isPublished: false }),
};

export const promptVersionResource: ResourceSpec = {
  name: 'prompt-versions',
  component: 'PromptVersion',
  tag: 'AI',
  table: promptVersions,
  writeRole: 'admin',
  // POST is create-prompt-version.ts (it numbers versions); PATCH may change `notes` only.
  create: false,
  readOnly: ['agentId', 'version', 'content', 'isPublished', 'publishedAt', 'publishedBy', 'createdBy'],
  filters: ['agentId', 'isPublished', 'version'],
  example: PROMPT_EXAMPLE,
  refs: { agentId: 'agents' },
  actions: [publish, rollback, unpublish],
};
