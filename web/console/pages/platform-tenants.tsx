/**
 * The platform admin's tenants: every tenant with its plan and subscription status, each changed
 * in place (PATCH /v1/platform/tenants/{id}, audited in that tenant's log; a suspended, canceled
 * or paused tenant's keys, sessions, widget and channels stop at once), and a new tenant on a
 * plan, with an existing user as its owner (POST /v1/platform/tenants).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { type Client, ok } from '../session.js';
import { when } from './format.js';
import {
  BLOCKED,
  PlatformNav,
  type PlatformTenant,
  STATUSES,
  type Status,
  usePlans,
  useTenants,
} from './platform-kit.js';

type Plans = NonNullable<ReturnType<typeof usePlans>['data']>;
type Change = { plan?: string; subscriptionStatus?: Status };

export function PlatformTenants({ client }: { client: Client }) {
  const queries = useQueryClient();
  const tenants = useTenants(client);
  const plans = usePlans(client).data ?? [];
  const [done, setDone] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: ({ id, body }: { id: string; slug: string; body: Change }) =>
      ok(client.PATCH('/v1/platform/tenants/{id}', { params: { path: { id } }, body })),
    onMutate: () => setDone(null),
    onSuccess: (_t, { slug, body }) =>
      setDone(
        body.plan ? `${slug} is on the ${body.plan} plan.` : `${slug} is now ${body.subscriptionStatus}.`,
      ),
    onSettled: () => queries.invalidateQueries({ queryKey: ['platform'] }),
  });
  return (
    <section>
      <h1>Tenants</h1>
      <PlatformNav />
      <NewTenant client={client} plans={plans} />
      <h2>All tenants</h2>
      <p class="muted">
        Suspended, canceled and paused tenants are stopped: their keys, sessions, widget and channels are
        refused until another status resumes them. Each change is written to the tenant's audit log.
      </p>
      {change.error && <p role="alert">{(change.error as Error).message}</p>}
      {done && <p role="status">{done}</p>}
      <table class="list">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Slug</th>
            <th scope="col">Plan</th>
            <th scope="col">Status</th>
            <th scope="col">Trial ends</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {(tenants.data ?? []).map((t) => (
            <TenantRow
              key={t.id}
              tenant={t}
              plans={plans}
              onChange={(body) => change.mutate({ id: t.id, slug: t.slug, body })}
            />
          ))}
        </tbody>
      </table>
      {tenants.error && <p role="alert">{(tenants.error as Error).message}</p>}
    </section>
  );
}

function TenantRow({
  tenant: t,
  plans,
  onChange,
}: {
  tenant: PlatformTenant;
  plans: Plans;
  onChange: (c: Change) => void;
}) {
  const plan = plans.find((p) => p.id === t.planId);
  return (
    <tr>
      <td>{t.name}</td>
      <td>
        <code>{t.slug}</code>
      </td>
      <td>
        <select
          aria-label={`Plan of ${t.slug}`}
          value={plan?.slug ?? ''}
          onChange={(e) => onChange({ plan: (e.target as HTMLSelectElement).value })}
        >
          {!plan && (
            <option value="" disabled>
              no plan
            </option>
          )}
          {plans.map((p) => (
            <option key={p.id} value={p.slug}>
              {p.name}
            </option>
          ))}
        </select>
      </td>
      <td>
        <select
          aria-label={`Status of ${t.slug}`}
          class={BLOCKED.includes(t.subscriptionStatus) ? 'blocked' : undefined}
          value={t.subscriptionStatus}
          onChange={(e) => onChange({ subscriptionStatus: (e.target as HTMLSelectElement).value as Status })}
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.replace('_', ' ')}
              {BLOCKED.includes(s) ? ' (stopped)' : ''}
            </option>
          ))}
        </select>
      </td>
      <td>{when(t.trialEndsAt)}</td>
      <td>{when(t.createdAt)}</td>
    </tr>
  );
}

/** A new tenant: slug, name, plan and (optionally) an existing user as owner. */
function NewTenant({ client, plans }: { client: Client; plans: Plans }) {
  const queries = useQueryClient();
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [plan, setPlan] = useState('');
  const [ownerEmail, setOwnerEmail] = useState('');
  const create = useMutation({
    mutationFn: () =>
      ok(
        client.POST('/v1/platform/tenants', {
          body: { slug, name, ...(plan ? { plan } : {}), ...(ownerEmail ? { ownerEmail } : {}) },
        }),
      ) as Promise<{ slug: string; name: string }>,
    onSuccess: () => {
      setSlug('');
      setName('');
      setOwnerEmail('');
      void queries.invalidateQueries({ queryKey: ['platform'] });
    },
  });
  const field = (set: (v: string) => void) => (e: Event) => set((e.target as HTMLInputElement).value);
  return (
    <form
      class="card"
      aria-label="New tenant"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <h2>New tenant</h2>
      <div class="filters">
        <label>
          Slug
          <input
            required
            pattern="[a-z0-9][a-z0-9\-]{0,62}"
            title="lowercase letters, digits and dashes"
            value={slug}
            onInput={field(setSlug)}
          />
        </label>
        <label>
          Name
          <input required maxLength={200} value={name} onInput={field(setName)} />
        </label>
        <label>
          Plan
          <select value={plan} onChange={field(setPlan)}>
            <option value="">no plan</option>
            {plans.map((p) => (
              <option key={p.id} value={p.slug}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Owner email (an existing user; optional)
          <input type="email" value={ownerEmail} onInput={field(setOwnerEmail)} />
        </label>
        <button type="submit" class="primary" disabled={create.isPending}>
          Create tenant
        </button>
      </div>
      {create.error && <p role="alert">{(create.error as Error).message}</p>}
      {create.data && (
        <p role="status">
          Created {create.data.name} (<code>{create.data.slug}</code>).
        </p>
      )}
    </form>
  );
}
