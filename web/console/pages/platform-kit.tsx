/**
 * What the platform admin's pages share: the tenant as `/v1/platform/tenants` sends it (documented
 * as an open object, so typed here), the subscription statuses, the plan catalogue and the
 * pages' own navigation (the same inside a tenant's console and in the platform-only one).
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter-preact';
import { type Client, ok } from '../session.js';

export const STATUSES = ['trialing', 'active', 'past_due', 'canceled', 'paused', 'suspended'] as const;
export type Status = (typeof STATUSES)[number];
/** Statuses that stop a tenant's keys, sessions, widget and channels (docs/plans.md). */
export const BLOCKED: readonly Status[] = ['suspended', 'canceled', 'paused'];

export interface PlatformTenant {
  id: string;
  slug: string;
  name: string;
  planId: string | null;
  subscriptionStatus: Status;
  trialEndsAt: string | null;
  vertical: string;
  createdAt: string;
}

/** The plans, cheapest first (GET /v1/platform/plans). */
export function usePlans(client: Client) {
  return useQuery({
    queryKey: ['platform', 'plans'],
    queryFn: async () => (await ok(client.GET('/v1/platform/plans'))).data,
  });
}

/** Every tenant (GET /v1/platform/tenants). */
export function useTenants(client: Client) {
  return useQuery({
    queryKey: ['platform', 'tenants'],
    queryFn: async () => (await ok(client.GET('/v1/platform/tenants'))).data as unknown as PlatformTenant[],
  });
}

export function PlatformNav() {
  return (
    <nav aria-label="Platform pages" class="subnav">
      <Link href="/platform">Tenants</Link>
      <Link href="/platform/usage">Usage</Link>
    </nav>
  );
}
