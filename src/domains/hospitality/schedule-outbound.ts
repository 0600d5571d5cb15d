/**
 * How scheduled messages leave: `sendMessages` from src/domains/channels/outbound.ts (stores a
 * batch of outbound messages, queued, and enqueues their deliveries in the same transaction;
 * `inTransaction` lets the scheduler mark its claims sent in it). The scheduler depends only on
 * this one-function interface, so tests can put a failing or crashing sender in its place.
 */
import type { Tx } from '../../platform/db/database.js';
import type { AppPlatform } from '../../platform/jobs.js';
import { type BatchMessageInput, sendMessages } from '../channels/outbound.js';

export interface Outbound {
  sendMessages(
    platform: AppPlatform,
    tenantId: string,
    inputs: readonly BatchMessageInput[],
    options?: { inTransaction?: (tx: Tx, messageIds: string[]) => Promise<void> },
  ): Promise<{ messageId: string }[]>;
}

export const defaultOutbound: Outbound = { sendMessages };
