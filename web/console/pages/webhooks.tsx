/** Webhook endpoints (list, create: webhook-new.tsx) and their delivery log, with replay (admins). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../app.js';
import { ok } from '../session.js';
import { when } from './format.js';
import { NewEndpoint } from './webhook-new.js';

export function Webhooks() {
  const { client, session, can } = useSession();
  const queries = useQueryClient();
  const endpoints = useQuery({
    queryKey: ['webhook-endpoints', session.tenantId],
    queryFn: () => ok(client.GET('/v1/webhook-endpoints', { params: { query: { limit: 100 } as never } })),
    enabled: can('admin'),
  });
  const deliveries = useQuery({
    queryKey: ['webhook-deliveries', session.tenantId],
    queryFn: () =>
      ok(
        client.GET('/v1/webhook-deliveries', {
          params: { query: { limit: 50, sort: '-createdAt' } as never },
        }),
      ),
    enabled: can('admin'),
  });
  const replay = useMutation({
    mutationFn: (id: string) =>
      ok(client.POST('/v1/webhook-deliveries/{id}/replay', { params: { path: { id } } } as never)),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['webhook-deliveries'] }),
  });
  if (!can('admin')) return <p>Only admins manage webhooks.</p>;
  const url = new Map((endpoints.data?.data ?? []).map((e) => [e.id, e.url]));
  return (
    <section>
      <h1>Webhooks</h1>
      <h2>Endpoints</h2>
      <table class="list">
        <thead>
          <tr>
            <th scope="col">URL</th>
            <th scope="col">Events</th>
            <th scope="col">Status</th>
            <th scope="col">Failures</th>
            <th scope="col">Last success</th>
          </tr>
        </thead>
        <tbody>
          {(endpoints.data?.data ?? []).map((e) => (
            <tr key={e.id}>
              <td>{e.url}</td>
              <td>{e.events.join(', ')}</td>
              <td>
                <span class={`badge ${e.status}`}>{e.status}</span> {e.disabledReason}
              </td>
              <td>{e.failureCount}</td>
              <td>{when(e.lastSuccessAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {endpoints.data?.data.length === 0 && <p>No endpoints yet.</p>}
      <NewEndpoint />
      <h2>Deliveries</h2>
      {replay.error && <p role="alert">{(replay.error as Error).message}</p>}
      <table class="list">
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Endpoint</th>
            <th scope="col">Status</th>
            <th scope="col">Attempt</th>
            <th scope="col">When</th>
            <th scope="col">
              <span class="sr">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(deliveries.data?.data ?? []).map((d) => (
            <tr key={d.id}>
              <td>{d.eventType}</td>
              <td>{url.get(d.endpointId) ?? d.endpointId}</td>
              <td>
                <span class={`badge ${d.status}`}>{d.status}</span> {d.responseStatus ?? ''} {d.error ?? ''}
              </td>
              <td>{d.attempt}</td>
              <td>{when(d.createdAt)}</td>
              <td>
                <button type="button" onClick={() => replay.mutate(d.id)}>
                  Replay <span class="sr">{d.eventType}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {deliveries.data?.data.length === 0 && <p>No deliveries yet.</p>}
    </section>
  );
}
