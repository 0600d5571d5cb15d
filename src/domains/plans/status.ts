/**
 * What a subscription status lets a tenant do (docs/plans.md). `trialing`, `active` and
 * `past_due` serve; `suspended`, `canceled` and `paused` stop every way in: API keys, sessions,
 * the widget, and inbound channels (whose provider webhooks are still acknowledged and recorded,
 * but not processed). Changing the status back resumes at once: nothing is cached.
 */
import { AppError } from '../../platform/errors.js';
import { BLOCKED_STATUSES, type SubscriptionStatus } from '../../schema/tenants.js';

export const isBlocked = (status: string | null | undefined): boolean =>
  BLOCKED_STATUSES.includes(status as SubscriptionStatus);

/** The reason recorded on an inbound event a stopped tenant received. */
export const blockedReason = (status: string) => `tenant ${status}: recorded, not processed`;

/** Throws `/problems/tenant-suspended` when the tenant's status stops it. */
export function assertServing(status: string | null | undefined): void {
  if (isBlocked(status)) {
    throw new AppError(
      'tenant_suspended',
      `this tenant's subscription is ${status}: its API keys, sessions, widget and channels are stopped until the platform reactivates it`,
      { members: { subscriptionStatus: status } },
    );
  }
}
