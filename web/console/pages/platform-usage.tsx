/**
 * The platform admin's view of usage: each tenant's use of its plan's limits in a month
 * (GET /v1/platform/usage: conversations, agents, seats, knowledge sources, model tokens), and the
 * same as a CSV file for a billing system.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { type Client, ok } from '../session.js';
import { PlatformNav } from './platform-kit.js';

interface Usage {
  tenantId: string;
  slug: string;
  plan: string | null;
  subscriptionStatus: string;
  period: { id: string; timezone: string; current: boolean };
  limits: Record<string, { limit: number | null; used: number | null }>;
}

const METRICS = [
  ['monthlyConversations', 'Conversations'],
  ['agents', 'AI agents'],
  ['seats', 'Seats'],
  ['knowledgeSources', 'Knowledge sources'],
  ['monthlyTokens', 'Model tokens'],
] as const;

const figure = (u: { limit: number | null; used: number | null } | undefined) => {
  if (!u || u.used === null) return '—';
  return u.limit === null
    ? `${u.used.toLocaleString()} (no limit)`
    : `${u.used.toLocaleString()} of ${u.limit.toLocaleString()}`;
};

export function PlatformUsage({ client }: { client: Client }) {
  // Empty: the current month (in each tenant's own time zone).
  const [period, setPeriod] = useState('');
  const query = period ? { period } : {};
  const usage = useQuery({
    queryKey: ['platform', 'usage', period],
    queryFn: async () =>
      ((await ok(client.GET('/v1/platform/usage', { params: { query } }))) as { tenants: Usage[] }).tenants,
  });
  const download = useMutation({
    mutationFn: async () => {
      const blob = (await ok(
        client.GET('/v1/platform/usage', { params: { query: { ...query, format: 'csv' } }, parseAs: 'blob' }),
      )) as Blob;
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `usage-${period || 'current'}.csv`;
      link.click();
      URL.revokeObjectURL(link.href);
    },
  });
  return (
    <section>
      <h1>Usage</h1>
      <PlatformNav />
      <div class="filters">
        <label>
          Month (empty: the current one)
          <input
            type="month"
            value={period}
            onInput={(e) => setPeriod((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="button" onClick={() => download.mutate()} disabled={download.isPending}>
          Download CSV
        </button>
      </div>
      {(usage.error ?? download.error) && (
        <p role="alert">{((usage.error ?? download.error) as Error).message}</p>
      )}
      <table class="list">
        <thead>
          <tr>
            <th scope="col">Tenant</th>
            <th scope="col">Plan</th>
            <th scope="col">Status</th>
            <th scope="col">Month</th>
            {METRICS.map(([key, label]) => (
              <th key={key} scope="col">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(usage.data ?? []).map((u) => (
            <tr key={u.tenantId}>
              <td>
                <code>{u.slug}</code>
              </td>
              <td>{u.plan ?? '—'}</td>
              <td>{u.subscriptionStatus.replace('_', ' ')}</td>
              <td>
                {u.period.id} <span class="muted">({u.period.timezone})</span>
              </td>
              {METRICS.map(([key]) => (
                <td key={key}>{figure(u.limits[key])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
