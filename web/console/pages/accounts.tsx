/** Account health: each client account's score, relationship, stakeholders, meetings, concerns and last contact. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../app.js';
import { ok } from '../session.js';
import { when } from './format.js';

export function Accounts() {
  const { client, session } = useSession();
  const accounts = useQuery({
    queryKey: ['accounts', session.tenantId],
    queryFn: () => ok(client.GET('/v1/accounts', { params: { query: { limit: 100 } as never } })),
  });
  return (
    <section>
      <h1>Account health</h1>
      {accounts.data?.data.length === 0 && <p>No client accounts yet (POST /v1/accounts).</p>}
      {(accounts.data?.data ?? []).length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Health score</th>
              <th scope="col">Relationship</th>
              <th scope="col">Stakeholders</th>
              <th scope="col">Meetings</th>
              <th scope="col">Concerns</th>
              <th scope="col">Last contact</th>
              <th scope="col">
                <span class="sr">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(accounts.data?.data ?? []).map((a) => (
              <HealthRow key={a.id} id={a.id} name={a.name} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function HealthRow({ id, name }: { id: string; name: string }) {
  const { client, session, can } = useSession();
  const queries = useQueryClient();
  const key = ['account-health', session.tenantId, id];
  const health = useQuery({
    queryKey: key,
    queryFn: () => ok(client.GET('/v1/accounts/{id}/health', { params: { path: { id } } })),
  });
  const refresh = useMutation({
    mutationFn: () =>
      ok(client.POST('/v1/accounts/{id}/health/refresh', { params: { path: { id } } } as never)),
    onSuccess: (data) => queries.setQueryData(key, data),
  });
  const h = health.data;
  const status = h?.relationshipStatus ?? '';
  return (
    <tr>
      <td>{name}</td>
      <td>{h?.healthScore ?? '—'}</td>
      <td>{status && <span class={`badge ${status === 'at_risk' ? 'failed' : status}`}>{status}</span>}</td>
      <td>{h?.stakeholderCount ?? ''}</td>
      <td>{h?.meetingCount ?? ''}</td>
      <td>{h?.concernCount ?? ''}</td>
      <td>{when(h?.lastInteraction ?? h?.lastMeeting)}</td>
      <td>
        {can('agent') && (
          <button type="button" disabled={refresh.isPending} onClick={() => refresh.mutate()}>
            Recompute <span class="sr">the health of {name}</span>
          </button>
        )}
        {refresh.error && <span role="alert">{(refresh.error as Error).message}</span>}
      </td>
    </tr>
  );
}
