/** Members (by email and name) and invitations: roles, removal, invite someone (the token is shown once), revoke an invitation. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { useSession } from '../app.js';
import { ok } from '../session.js';
import { when } from './format.js';

const ROLES = ['viewer', 'agent', 'admin', 'owner'] as const;
type Role = (typeof ROLES)[number];

const RoleSelect = ({
  value,
  label,
  onChange,
}: {
  value: Role;
  label: string;
  onChange: (r: Role) => void;
}) => (
  <select
    aria-label={label}
    value={value}
    onChange={(e) => onChange((e.target as HTMLSelectElement).value as Role)}
  >
    {ROLES.map((r) => (
      <option key={r} value={r}>
        {r}
      </option>
    ))}
  </select>
);

export function Team() {
  const { client, session, can, me } = useSession();
  const queries = useQueryClient();
  const members = useQuery({
    queryKey: ['members', session.tenantId],
    queryFn: () => ok(client.GET('/v1/members', { params: { query: { limit: 100 } as never } })),
  });
  const change = useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role | null }) =>
      role
        ? ok(client.PATCH('/v1/members/{id}', { params: { path: { id } }, body: { role } }))
        : ok(client.DELETE('/v1/members/{id}', { params: { path: { id } } } as never)),
    onSettled: () => queries.invalidateQueries({ queryKey: ['members'] }),
  });
  const owner = can('owner');
  return (
    <section>
      <h1>Team</h1>
      <h2>Members</h2>
      {change.error && <p role="alert">{(change.error as Error).message}</p>}
      <table class="list">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Member since</th>
            <th scope="col">
              <span class="sr">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(members.data?.data ?? []).map((m) => {
            const self = m.userId === me?.userId;
            const who = self ? `you (${m.email})` : m.email;
            return (
              <tr key={m.id}>
                <td>{self ? <strong>{who}</strong> : who}</td>
                <td>{m.name ?? '—'}</td>
                <td>
                  {owner ? (
                    <RoleSelect
                      value={m.role}
                      label={`Role of ${who}`}
                      onChange={(role) => change.mutate({ id: m.id, role })}
                    />
                  ) : (
                    m.role
                  )}
                </td>
                <td>{when(m.createdAt)}</td>
                <td>
                  {owner && !self && (
                    <button
                      type="button"
                      class="danger"
                      onClick={() => change.mutate({ id: m.id, role: null })}
                    >
                      Remove <span class="sr">{who}</span>
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {can('admin') && <Invitations />}
    </section>
  );
}

function Invitations() {
  const { client, session, can } = useSession();
  const queries = useQueryClient();
  const invitations = useQuery({
    queryKey: ['invitations', session.tenantId],
    queryFn: () =>
      ok(client.GET('/v1/invitations', { params: { query: { status: 'pending', limit: 100 } as never } })),
  });
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const refresh = () => queries.invalidateQueries({ queryKey: ['invitations'] });
  const invite = useMutation({
    mutationFn: () => ok(client.POST('/v1/invitations', { body: { email, role } })),
    onSuccess: () => {
      setEmail('');
      void refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) =>
      ok(client.DELETE('/v1/invitations/{id}', { params: { path: { id } } } as never)),
    onSettled: refresh,
  });
  const made = invite.data;
  return (
    <>
      <h2>Invitations</h2>
      {can('owner') && (
        <form
          class="card"
          aria-label="Invite someone"
          onSubmit={(e) => {
            e.preventDefault();
            invite.mutate();
          }}
        >
          <div class="filters">
            <label>
              Email
              <input
                type="email"
                required
                value={email}
                onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
              />
            </label>
            <div class="field">
              <span aria-hidden="true">Role</span>
              <RoleSelect value={role} label="Role" onChange={setRole} />
            </div>
            <button type="submit" class="primary" disabled={invite.isPending}>
              Invite
            </button>
          </div>
          {invite.error && <p role="alert">{(invite.error as Error).message}</p>}
          {made && (
            <p role="status">
              Invitation for {made.email}, shown this once (send it to them; it is redeemed with POST
              /v1/invitations/accept within 7 days): <code class="secret">{made.token}</code>
            </p>
          )}
        </form>
      )}
      {revoke.error && <p role="alert">{(revoke.error as Error).message}</p>}
      <table class="list">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Expires</th>
            <th scope="col">
              <span class="sr">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(invitations.data?.data ?? []).map((i) => (
            <tr key={i.id}>
              <td>{i.email}</td>
              <td>{i.role}</td>
              <td>{when(i.expiresAt)}</td>
              <td>
                {can('owner') && (
                  <button type="button" class="danger" onClick={() => revoke.mutate(i.id)}>
                    Revoke <span class="sr">the invitation of {i.email}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {invitations.data?.data.length === 0 && <p>No pending invitations.</p>}
    </>
  );
}
