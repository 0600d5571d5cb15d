/** AI agents: pick one; its answering policy, its prompt versions (prompts.tsx) and the brand voices (voices.tsx). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import type { components } from '../../../client/schema.js';
import { useSession } from '../app.js';
import { ok } from '../session.js';
import { PromptVersions } from './prompts.js';
import { BrandVoices } from './voices.js';

type Agent = components['schemas']['Agent'];
const APPROVAL = {
  low_confidence: 'Drafts for approval below the threshold',
  always: 'Every answer is a draft for approval',
  never: 'Below the threshold, hand over to a person',
} as const;

export function Agents() {
  const { client, session } = useSession();
  const agents = useQuery({
    queryKey: ['agents', session.tenantId],
    queryFn: () => ok(client.GET('/v1/agents', { params: { query: { limit: 100 } as never } })),
  });
  const [chosen, setChosen] = useState<string | null>(null);
  const list = agents.data?.data ?? [];
  const agent = list.find((a) => a.id === chosen) ?? list[0];
  return (
    <section>
      <h1>AI agents</h1>
      {agents.data && list.length === 0 && <p>No AI agent yet: create one with POST /v1/agents.</p>}
      {list.length > 1 && (
        <label class="filters">
          Agent
          <select value={agent?.id} onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}>
            {list.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {/* Mounted once this visit's fetch is in, one form per agent: a later refetch never
          overwrites what is being typed (after a save the form already holds what was saved). */}
      {agent && agents.isFetchedAfterMount && <Policy key={agent.id} agent={agent} />}
      {agent && <PromptVersions agentId={agent.id} />}
      <BrandVoices />
    </section>
  );
}

interface Form {
  status: Agent['status'];
  autoReplyEnabled: boolean;
  approval: keyof typeof APPROVAL;
  confidenceThreshold: number;
  responseDelaySeconds: number;
  quietHoursStart: string;
  quietHoursEnd: string;
  brandVoiceId: string;
}

const formOf = (a: Agent): Form => {
  const config = (a.escalationConfig ?? {}) as Record<string, unknown>;
  return {
    status: a.status,
    autoReplyEnabled: a.autoReplyEnabled,
    approval:
      (config.approval as Form['approval']) in APPROVAL
        ? (config.approval as Form['approval'])
        : 'low_confidence',
    confidenceThreshold: a.confidenceThreshold,
    responseDelaySeconds: a.responseDelaySeconds,
    quietHoursStart: a.quietHoursStart?.slice(0, 5) ?? '',
    quietHoursEnd: a.quietHoursEnd?.slice(0, 5) ?? '',
    brandVoiceId: a.brandVoiceId ?? '',
  };
};

/** The responder's policy for one agent: status, auto-reply, approvals, threshold, delay, quiet hours, voice. */
function Policy({ agent }: { agent: Agent }) {
  const { client, session, can } = useSession();
  const queries = useQueryClient();
  const [form, setForm] = useState<Form>(() => formOf(agent));
  const voices = useQuery({
    queryKey: ['brand-voices', session.tenantId],
    queryFn: () => ok(client.GET('/v1/brand-voices', { params: { query: { limit: 100 } as never } })),
  });
  const save = useMutation({
    mutationFn: () =>
      ok(
        client.PATCH('/v1/agents/{id}', {
          params: { path: { id: agent.id } },
          body: {
            status: form.status,
            autoReplyEnabled: form.autoReplyEnabled,
            escalationConfig: { ...((agent.escalationConfig ?? {}) as object), approval: form.approval },
            confidenceThreshold: form.confidenceThreshold,
            responseDelaySeconds: form.responseDelaySeconds,
            quietHoursStart: form.quietHoursStart || null,
            quietHoursEnd: form.quietHoursEnd || null,
            brandVoiceId: form.brandVoiceId || null,
          },
        }),
      ),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['agents'] }),
  });
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm({ ...form, [k]: v });
  const value = (e: Event) => (e.target as HTMLInputElement).value;
  const editable = can('admin');
  return (
    <form
      class="card"
      aria-label={`Policy of ${agent.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h2>
        {agent.name} {agent.assistantName && <span class="muted">({agent.assistantName})</span>}
      </h2>
      {agent.description && <p class="muted">{agent.description}</p>}
      <fieldset disabled={!editable} class="filters">
        <label>
          Status
          <select value={form.status} onChange={(e) => set('status', value(e) as Form['status'])}>
            {['draft', 'active', 'paused', 'archived'].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Approval
          <select value={form.approval} onChange={(e) => set('approval', value(e) as Form['approval'])}>
            {Object.entries(APPROVAL).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Confidence threshold
          <input
            type="number"
            min={0}
            max={1}
            step={0.05}
            value={form.confidenceThreshold}
            onInput={(e) => set('confidenceThreshold', Number(value(e)))}
          />
        </label>
        <label>
          Reply delay (seconds)
          <input
            type="number"
            min={0}
            max={86400}
            value={form.responseDelaySeconds}
            onInput={(e) => set('responseDelaySeconds', Number(value(e)))}
          />
        </label>
        <label>
          Quiet hours from
          <input type="time" value={form.quietHoursStart} onInput={(e) => set('quietHoursStart', value(e))} />
        </label>
        <label>
          Quiet hours until
          <input type="time" value={form.quietHoursEnd} onInput={(e) => set('quietHoursEnd', value(e))} />
        </label>
        <label>
          Brand voice
          <select value={form.brandVoiceId} onChange={(e) => set('brandVoiceId', value(e))}>
            <option value="">The default voice</option>
            {(voices.data?.data ?? []).map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={form.autoReplyEnabled}
            onChange={(e) => set('autoReplyEnabled', (e.target as HTMLInputElement).checked)}
          />
          Answer automatically
        </label>
      </fieldset>
      {save.error && <p role="alert">{(save.error as Error).message}</p>}
      {save.isSuccess && <p role="status">Policy saved.</p>}
      {editable && (
        <div class="actions">
          <button type="submit" class="primary" disabled={save.isPending}>
            Save policy
          </button>
        </div>
      )}
    </form>
  );
}
