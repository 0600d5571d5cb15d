/** A new webhook endpoint (admins): URL, description, events; the signing secret is shown once. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { useSession } from '../app.js';
import { ok } from '../session.js';

// The events that fire (src/domains/ops/events.ts); the API refuses any other name.
const EVENTS = [
  'message.created',
  'conversation.opened',
  'conversation.closed',
  'conversation.assigned',
  'escalation.opened',
  'escalation.updated',
  'approval.requested',
  'knowledge_source.ready',
  'knowledge_source.failed',
  'usage.threshold_reached',
  'responder.budget_exhausted',
] as const;
type Event = (typeof EVENTS)[number];

export function NewEndpoint() {
  const { client } = useSession();
  const queries = useQueryClient();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<Set<Event>>(new Set());
  const create = useMutation({
    mutationFn: () =>
      ok(
        client.POST('/v1/webhook-endpoints', {
          // No event ticked: every event (`*`).
          body: { url, description: description || null, events: events.size ? [...events] : ['*'] },
        }),
      ),
    onSuccess: () => {
      setUrl('');
      setDescription('');
      setEvents(new Set());
      void queries.invalidateQueries({ queryKey: ['webhook-endpoints'] });
    },
  });
  const toggle = (e: Event, on: boolean) => {
    const next = new Set(events);
    if (on) next.add(e);
    else next.delete(e);
    setEvents(next);
  };
  const made = create.data;
  return (
    <form
      class="card"
      aria-label="New endpoint"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <h3>New endpoint</h3>
      <div class="filters">
        <label>
          Endpoint URL
          <input
            type="url"
            required
            size={40}
            placeholder="https://example.com/hooks/frontdesk"
            value={url}
            onInput={(e) => setUrl((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          Description
          <input value={description} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      <fieldset class="filters">
        <legend>Events (none ticked: every event)</legend>
        {EVENTS.map((e) => (
          <label key={e} class="check">
            <input
              type="checkbox"
              checked={events.has(e)}
              onChange={(ev) => toggle(e, (ev.target as HTMLInputElement).checked)}
            />
            {e}
          </label>
        ))}
      </fieldset>
      {create.error && <p role="alert">{(create.error as Error).message}</p>}
      {made && (
        <p role="status">
          Endpoint {made.url} created. Its signing secret, shown this once:{' '}
          <code class="secret">{made.secret}</code>
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={create.isPending}>
          Add endpoint
        </button>
      </div>
    </form>
  );
}
