/**
 * Generates realistic conversations from a small pool of scripted exchanges per vertical:
 * each conversation picks a script, a contact, a channel and a status, fills in placeholders,
 * and spreads its messages over realistic reply delays. Deterministic for a given PRNG.
 */
import type { ChannelKind } from '../domains/channels/tables.js';
import type {
  ESCALATION_TYPES,
  NewConversation,
  NewMessage,
  SEVERITIES,
} from '../domains/conversations/tables.js';
import { ANCHOR, DAY, MINUTE, plusSeconds } from './clock.js';
import type { Rng } from './ids.js';

type Row<T> = Omit<T, 'tenantId'>;
export type EscalationType = (typeof ESCALATION_TYPES)[number];
export type Severity = (typeof SEVERITIES)[number];
export type ConversationRow = Row<NewConversation> & { id: string; startedAt: Date };
export type MessageRow = Row<NewMessage> & { id: string; createdAt: Date };

export type TurnRole = 'user' | 'assistant' | 'agent';
/** One message of a script. `internal` marks a team note never sent to the contact. */
export interface Turn {
  role: TurnRole;
  text: string;
  internal?: boolean;
}

/** A scripted exchange; the first turn is the contact's. Text may use `{first}`, `{assistant}` and `vars`. */
export interface Script {
  subject: string;
  tags: string[];
  turns: Turn[];
  /** The escalation this exchange raises, if any. */
  escalation?: { type: EscalationType; severity: Severity; summary: string; suggestedAction?: string };
}

export interface Person {
  /** NULL for a team member's own assistant session about an account. */
  contactId: string | null;
  name: string;
  accountId?: string | null;
  /** Extra placeholders for this person (their property, their company…). */
  vars?: Record<string, string>;
}

export interface ChannelRef {
  id: string;
  kind: ChannelKind;
}

export interface ThreadOptions {
  /** Names the ids: `${key}:conv:${i}`. */
  key: string;
  count: number;
  scripts: readonly Script[];
  people: readonly Person[];
  /** Channels conversations are spread over; null for conversations with no channel. */
  channels: ReadonlyArray<ChannelRef | null>;
  agentId: string;
  promptVersionId: string;
  assistantName: string;
  model: string;
  /** Team members who step in on `agent` turns. */
  staffUserIds: readonly string[];
  /** The team member opened the conversation themself (an assistant session), so replies are quick. */
  startedByStaff?: boolean;
  /** History spans this many days before the anchor. */
  daysBack: number;
  /** Whether finished conversations may end with a thank-you exchange (default true). */
  closers?: boolean;
  /** Seconds the AI waits before replying (quiet hours aside). */
  replyDelaySeconds?: [number, number];
  /** Makes each message's provider id (Slack ts, Twilio SID…), or null for none. */
  externalMessageId?: (channel: ChannelRef | null, at: Date, n: number) => string | null;
  /** Adds metadata to a conversation (e.g. the Slack channel it lives in). */
  metadata?: (person: Person, i: number) => Record<string, unknown>;
  id(name: string, at: Date): string;
  rng: Rng;
}

export interface Thread {
  script: Script;
  conversation: ConversationRow;
  messages: MessageRow[];
  person: Person;
  channel: ChannelRef | null;
}

const CLOSERS: ReadonlyArray<readonly [string, string]> = [
  ['Thanks so much, that sorts it!', 'You are very welcome, {first}. Have a great day!'],
  ['Perfect, thank you.', 'Glad I could help. Reach out any time.'],
  ['Great, appreciate the quick answer.', 'Happy to help, {first}!'],
  ['Got it, thanks!', 'Anytime. Let us know if anything else comes up.'],
];

const STATUSES = [
  ['resolved', 50],
  ['closed', 15],
  ['archived', 5],
  ['active', 15],
  ['waiting', 15],
] as const;

function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
}

/** Rough token count of a text (about four characters per token). */
export const tokensOf = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

export function buildThreads(o: ThreadOptions): Thread[] {
  const { rng } = o;
  const threads: Thread[] = [];
  for (let i = 0; i < o.count; i++) {
    const person = o.people[i % o.people.length]!;
    // Round-robin, so every script (and every escalation type it raises) appears in turn.
    const script = o.scripts[i % o.scripts.length]!;
    const channel = o.channels[i % o.channels.length] ?? null;
    const status = rng.weighted(STATUSES);
    const open = status === 'active' || status === 'waiting';
    const vars = { first: person.name.split(' ')[0]!, assistant: o.assistantName, ...person.vars };

    const turns = [...script.turns];
    if (o.closers !== false && !open && turns.length <= 6 && rng.chance(0.6)) {
      const [thanks, welcome] = rng.pick(CLOSERS);
      turns.push({ role: 'user', text: thanks }, { role: 'assistant', text: welcome });
    }
    if (status === 'active' && turns.length > 3 && turns[turns.length - 1]!.role !== 'user') turns.pop();

    // Spread starts evenly over the period, newest last, in daytime hours.
    const day = Math.floor(((o.count - 1 - i) * o.daysBack) / o.count);
    const startedAt = new Date(ANCHOR.getTime() - day * DAY - DAY + rng.int(7 * 60, 20 * 60) * MINUTE);
    const convId = o.id(`${o.key}:conv:${i}`, startedAt);
    const staffId = o.staffUserIds.length ? rng.pick(o.staffUserIds) : null;
    const [minDelay, maxDelay] = o.replyDelaySeconds ?? [8, 90];

    let at = startedAt;
    const messages: MessageRow[] = turns.map((turn, n) => {
      if (n > 0) {
        const gap =
          turn.role === 'assistant'
            ? rng.int(minDelay, maxDelay)
            : turn.role === 'agent'
              ? o.startedByStaff
                ? rng.int(30, 240)
                : rng.int(4 * 60, 40 * 60)
              : rng.int(60, 25 * 60);
        at = plusSeconds(at, gap);
      }
      const content = fill(turn.text, vars);
      const outbound = turn.role !== 'user';
      const row: MessageRow = {
        id: o.id(`${o.key}:conv:${i}:msg:${n}`, at),
        conversationId: convId,
        channelId: channel?.id ?? null,
        role: turn.role,
        content,
        isInternal: turn.internal ?? false,
        authorContactId: turn.role === 'user' ? person.contactId : null,
        authorUserId: turn.role === 'agent' ? staffId : null,
        externalMessageId: turn.internal ? null : (o.externalMessageId?.(channel, at, n) ?? null),
        deliveryStatus: outbound && channel && !turn.internal ? (n % 3 === 0 ? 'read' : 'delivered') : null,
        createdAt: at,
        updatedAt: at,
      };
      if (turn.role === 'assistant') {
        row.promptVersionId = o.promptVersionId;
        row.model = o.model;
        row.tokensIn = 350 + tokensOf(content) * 3 + n * 60 + rng.int(0, 200);
        row.tokensOut = tokensOf(content);
        row.confidence = Math.round((0.62 + rng.next() * 0.37) * 1000) / 1000;
      }
      return row;
    });

    const last = messages[messages.length - 1]!;
    const resolved = status === 'resolved' || status === 'closed' || status === 'archived';
    const hasAgent = turns.some((t) => t.role === 'agent');
    threads.push({
      script,
      person,
      channel,
      messages,
      conversation: {
        id: convId,
        agentId: o.agentId,
        contactId: person.contactId,
        accountId: person.accountId ?? null,
        channelId: channel?.id ?? null,
        assignedUserId: hasAgent ? staffId : null,
        startedByUserId: o.startedByStaff ? staffId : null,
        externalThreadId: channel ? (messages[0]!.externalMessageId ?? `thread-${convId.slice(-12)}`) : null,
        status,
        priority: rng.weighted([
          [0, 5],
          [1, 3],
          [2, 2],
        ]),
        tags: script.tags,
        subject: fill(script.subject, vars),
        lastMessageAt: last.createdAt,
        startedAt,
        resolvedAt: resolved ? plusSeconds(last.createdAt, 60) : null,
        closedAt: status === 'closed' || status === 'archived' ? plusSeconds(last.createdAt, 3600) : null,
        metadata: o.metadata?.(person, i) ?? {},
        createdAt: startedAt,
        updatedAt: last.createdAt,
      },
    });
  }
  return threads;
}

/** Marks a thread as escalated: urgent priority and an `escalated` tag. */
export function escalate(thread: Thread): void {
  thread.conversation.priority = 4;
  thread.conversation.tags = [...(thread.conversation.tags ?? []), 'escalated'];
}

/**
 * Ends a thread at `messageId` (later messages are dropped), optionally followed by `extra`,
 * and brings the conversation's timestamps in line.
 */
export function endThreadAt(thread: Thread, messageId: string, extra: MessageRow[] = []): void {
  const at = thread.messages.findIndex((m) => m.id === messageId);
  thread.messages = [...thread.messages.slice(0, at + 1), ...extra];
  const c = thread.conversation;
  const last = thread.messages[thread.messages.length - 1]!.createdAt;
  c.lastMessageAt = last;
  c.updatedAt = last;
  if (c.resolvedAt) c.resolvedAt = plusSeconds(last, 60);
  if (c.closedAt) c.closedAt = plusSeconds(last, 3600);
}
