/**
 * How scheduled messages leave: `sendMessage` from src/domains/channels/outbound.ts (stores the
 * outbound message, queued, and enqueues its delivery on the conversation's channel). The
 * scheduler depends only on this one-function interface, so tests can put a failing or crashing
 * sender in its place.
 */
import type { AppPlatform } from '../../platform/jobs.js';
import { type SendMessageInput, sendMessage } from '../channels/outbound.js';

export interface Outbound {
  sendMessage(
    platform: AppPlatform,
    tenantId: string,
    input: SendMessageInput,
  ): Promise<{ messageId: string }>;
}

export const defaultOutbound: Outbound = { sendMessage };
