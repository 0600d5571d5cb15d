/**
 * Widget channels: their embed snippet, and the tenant-wide widget texts, colour and pre-chat
 * email form with a live preview.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { useSession } from '../app.js';
import { ok } from '../session.js';
import { WidgetPreview } from './widget-preview.js';

type PreChatEmail = 'off' | 'optional' | 'required';

interface Texts {
  greeting: string;
  offlineMessage: string;
  primaryColor: string;
  title: string;
  preChatEmail: PreChatEmail;
  preChatMessage: string;
}

interface SettingsRow {
  id: string;
  updatedAt?: string;
  behavior?: unknown;
  appearance?: unknown;
  chatWindow?: unknown;
  preChatEmail?: PreChatEmail;
}

/** The texts a saved row holds (or the defaults when the workspace has none yet). */
function textsOf(row: SettingsRow | undefined): Texts {
  const b = (row?.behavior ?? {}) as Record<string, string>;
  const a = (row?.appearance ?? {}) as Record<string, string>;
  const w = (row?.chatWindow ?? {}) as Record<string, string>;
  return {
    greeting: b.greeting ?? '',
    offlineMessage: b.offlineMessage ?? '',
    primaryColor: a.primaryColor ?? '#2563eb',
    title: w.title ?? '',
    preChatEmail: row?.preChatEmail ?? 'off',
    preChatMessage: b.preChatMessage ?? '',
  };
}

export function WidgetSettings() {
  const { client, session } = useSession();
  const channels = useQuery({
    queryKey: ['channels', session.tenantId],
    queryFn: () => ok(client.GET('/v1/channels', { params: { query: { limit: 100 } } })),
  });
  const settings = useQuery({
    queryKey: ['widget-settings', session.tenantId],
    queryFn: () => ok(client.GET('/v1/widget-settings', { params: { query: { limit: 100 } as never } })),
  });
  const row = settings.data?.data.find((s) => s.agentId === null) as SettingsRow | undefined;
  const widgets = (channels.data?.data ?? []).filter((c) => c.kind === 'widget');
  return (
    <section>
      <h1>Chat widget</h1>
      <h2>Embed</h2>
      {widgets.length === 0 && (
        <p>No widget channel yet: create one (kind “widget”) with POST /v1/channels.</p>
      )}
      {widgets.map((w) => (
        <div key={w.id} class="card">
          <strong>{w.name}</strong> <span class={`badge ${w.status}`}>{w.status}</span>
          <p>Paste this before the closing &lt;/body&gt; tag of your site:</p>
          <pre>
            <code>{`<script src="${location.origin}/widget.js" data-widget-key="${w.widgetKey}" async></script>`}</code>
          </pre>
        </div>
      ))}
      <h2>Texts, colour and pre-chat form (every widget of this workspace)</h2>
      {/* The form appears with the saved texts, so nothing typed is overwritten when they arrive;
          it keeps what was typed after a save (the saved row comes back with the same texts). */}
      {settings.isSuccess ? <TextsForm row={row} /> : <p>Loading…</p>}
    </section>
  );
}

function TextsForm({ row }: { row: SettingsRow | undefined }) {
  const { client, session, can } = useSession();
  const queries = useQueryClient();
  const [texts, setTexts] = useState<Texts>(() => textsOf(row));
  const save = useMutation({
    mutationFn: async () => {
      const behavior = {
        ...((row?.behavior ?? {}) as object),
        greeting: texts.greeting,
        offlineMessage: texts.offlineMessage,
        preChatMessage: texts.preChatMessage,
      };
      // The colour only when chosen here or saved before: the form's default must not override
      // the brand's colour, which the widget uses when its settings name none.
      const saved = (row?.appearance ?? {}) as Record<string, unknown>;
      const chosen = texts.primaryColor !== textsOf(row).primaryColor || saved.primaryColor !== undefined;
      const appearance = chosen ? { ...saved, primaryColor: texts.primaryColor } : saved;
      const chatWindow = { ...((row?.chatWindow ?? {}) as object), title: texts.title };
      const body = { behavior, appearance, chatWindow, preChatEmail: texts.preChatEmail };
      return row
        ? ok(
            client.PATCH('/v1/widget-settings/{id}', {
              params: { path: { id: row.id } },
              body: body as never,
            }),
          )
        : ok(client.POST('/v1/widget-settings', { body: body as never }));
    },
    onSuccess: () => queries.invalidateQueries({ queryKey: ['widget-settings'] }),
  });
  const field = (name: keyof Texts, label: string, type = 'text') => (
    <label>
      {label}
      <input
        type={type}
        value={texts[name]}
        onInput={(e) => setTexts({ ...texts, [name]: (e.target as HTMLInputElement).value })}
      />
    </label>
  );
  return (
    <div class="with-preview">
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        {field('title', 'Window title')}
        {field('greeting', 'Greeting')}
        {field('offlineMessage', 'Offline message')}
        {field('primaryColor', 'Colour', 'color')}
        <label>
          Pre-chat email form
          <select
            value={texts.preChatEmail}
            onChange={(e) =>
              setTexts({ ...texts, preChatEmail: (e.target as HTMLSelectElement).value as PreChatEmail })
            }
          >
            <option value="off">Off</option>
            <option value="optional">Optional: visitors may skip it</option>
            <option value="required">Required before the first message</option>
          </select>
        </label>
        {texts.preChatEmail !== 'off' && field('preChatMessage', 'Pre-chat message')}
        {save.error && <p role="alert">{(save.error as Error).message}</p>}
        {save.isSuccess && <p role="status">Saved.</p>}
        {can('admin') && (
          <button type="submit" class="primary" disabled={save.isPending}>
            Save
          </button>
        )}
      </form>
      <WidgetPreview
        texts={texts}
        brandName={session.tenants.find((t) => t.id === session.tenantId)?.name ?? ''}
      />
    </div>
  );
}
