/** API keys (owners): list, create (the key is shown once), revoke. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { useSession } from '../app.js';
import { ok } from '../session.js';
import { when } from './format.js';

const ROLES = ['viewer', 'agent', 'admin', 'owner'] as const;

export function ApiKeys() {
  const { client, session, can } = useSession();
  const queries = useQueryClient();
  const keys = useQuery({
    queryKey: ['api-keys', session.tenantId],
    queryFn: () => ok(client.GET('/v1/api-keys', { params: { query: { limit: 100 } as never } })),
    enabled: can('owner'),
  });
  const [name, setName] = useState('');
  const [role, setRole] = useState<(typeof ROLES)[number]>('agent');
  const create = useMutation({
    mutationFn: () => ok(client.POST('/v1/api-keys', { body: { name, role } as never })),
    onSuccess: () => {
      setName('');
      void queries.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) =>
      ok(client.POST('/v1/api-keys/{id}/revoke', { params: { path: { id } } } as never)),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  if (!can('owner')) return <p>Only owners manage API keys.</p>;
  const created = create.data as { key?: string; name?: string } | undefined;
  return (
    <section>
      <h1>API keys</h1>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) create.mutate();
        }}
      >
        <h2>New key</h2>
        <div class="filters">
          <label>
            Name
            <input value={name} required onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            Role
            <select
              value={role}
              onChange={(e) => setRole((e.target as HTMLSelectElement).value as typeof role)}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" class="primary" disabled={create.isPending}>
            Create key
          </button>
        </div>
        {create.error && <p role="alert">{(create.error as Error).message}</p>}
        {created?.key && (
          <p role="status">
            The key “{created.name}”, shown this once: <code class="secret">{created.key}</code>
          </p>
        )}
      </form>
      <table class="list">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Prefix</th>
            <th scope="col">Role</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
            <th scope="col">
              <span class="sr">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(keys.data?.data ?? []).map((k) => (
            <tr key={k.id}>
              <td>{k.name}</td>
              <td>
                <code>{k.prefix}…</code>
              </td>
              <td>{k.role}</td>
              <td>{when(k.lastUsedAt)}</td>
              <td>{k.revokedAt ? `revoked ${when(k.revokedAt)}` : 'active'}</td>
              <td>
                {!k.revokedAt && (
                  <button type="button" class="danger" onClick={() => revoke.mutate(k.id)}>
                    Revoke <span class="sr">{k.name}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
