/**
 * Live replies for widget visitors. Storing a message calls `notifyMessageStored` inside its
 * transaction: a Postgres NOTIFY, which PostgreSQL (and PGlite) deliver only when the transaction
 * commits, so a visitor never sees a message that was rolled back.
 *
 * Every process keeps one `MessageHub` per database: it LISTENs while at least one stream is open
 * and wakes the streams of the conversation named in the notification, which then read what is
 * new through `withTenant`. On a server every Frontdesk process listens, so a reply stored by any
 * process (a worker, another API node) reaches a visitor connected to any other. LISTEN needs a
 * session connection: behind PgBouncer in transaction mode, point Frontdesk at PostgreSQL directly
 * (or a session-mode pool) for live widget replies.
 */
import { type Database, deferToCommit, type Tx } from '../../platform/db/database.js';
import { listen } from '../../platform/db/listen.js';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../../platform/db/unavailable.js';
import { AppError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';

export const MESSAGE_CHANNEL = 'frontdesk_messages';
const RETRY = { headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) } };

export interface StoredMessage {
  tenantId: string;
  conversationId: string;
  messageId: string;
}

/** Announces a stored message to live streams, when (and only if) the transaction commits (sent with its COMMIT). */
export async function notifyMessageStored(tx: Tx, message: StoredMessage): Promise<void> {
  await deferToCommit(tx, 'SELECT pg_notify($1, $2)', [MESSAGE_CHANNEL, JSON.stringify(message)]);
}

/** `notifyMessageStored` for several messages, in one statement (one notification each). */
export async function notifyMessagesStored(tx: Tx, stored: readonly StoredMessage[]): Promise<void> {
  if (stored.length === 0) return;
  await deferToCommit(tx, 'SELECT pg_notify($1, m) FROM jsonb_array_elements_text($2::jsonb) m', [
    MESSAGE_CHANNEL,
    JSON.stringify(stored.map((m) => JSON.stringify(m))),
  ]);
}

/** Called with the stored message; a subscription to conversation `*` hears every conversation of its tenant. */
type Listener = (message: StoredMessage) => void;
export const ALL_CONVERSATIONS = '*';

/** The per-process fan-out from the notification channel to open streams, keyed by conversation. */
export class MessageHub {
  readonly #listeners = new Map<string, Set<Listener>>();
  #stop: Promise<() => Promise<void>> | undefined;
  #closing = false;
  #resolveClosed!: () => void;
  /** Resolves when the process shuts down (`close`): open streams end then. */
  readonly closed = new Promise<void>((resolve) => {
    this.#resolveClosed = resolve;
  });
  /** How many times the LISTEN connection was re-established (observability, tests). */
  reconnects = 0;

  constructor(
    private readonly db: Database,
    private readonly logger?: Logger,
  ) {}

  /** Calls `listener` whenever a message of the conversation is stored; returns the unsubscribe. */
  async subscribe(
    tenantId: string,
    conversationId: string,
    listener: Listener,
  ): Promise<() => Promise<void>> {
    if (this.#closing) throw new AppError('unavailable', 'the server is shutting down; reconnect', RETRY);
    const key = `${tenantId}:${conversationId}`;
    const set = this.#listeners.get(key) ?? new Set<Listener>();
    this.#listeners.set(key, set);
    set.add(listener);
    const unsubscribe = async () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(key);
      if (this.#listeners.size === 0 && this.#stop) {
        const stopping = this.#stop;
        this.#stop = undefined;
        await (await stopping.catch(() => async () => {}))();
      }
    };
    this.#stop ??= this.#listen();
    try {
      await this.#stop;
    } catch (error) {
      // The database is unreachable: this stream fails (503); the next subscribe tries again.
      this.#stop = undefined;
      await unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  /** Ends every open stream and stops listening (graceful shutdown). */
  async close(): Promise<void> {
    this.#closing = true;
    this.#resolveClosed();
    const stopping = this.#stop;
    this.#stop = undefined;
    if (stopping) await (await stopping.catch(() => async () => {}))();
  }

  /** Open streams in this process (observability, tests). */
  get size(): number {
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }

  #dispatch = (payload: string): void => {
    let message: StoredMessage;
    try {
      message = JSON.parse(payload) as StoredMessage;
    } catch {
      return;
    }
    for (const key of [message.conversationId, ALL_CONVERSATIONS]) {
      for (const listener of this.#listeners.get(`${message.tenantId}:${key}`) ?? []) listener(message);
    }
  };

  /** Wakes every stream: after a reconnect each re-reads what was stored while it was deaf. */
  #wakeAll = (): void => {
    for (const [key, set] of this.#listeners) {
      const [tenantId = '', conversationId = ''] = key.split(':');
      for (const listener of set) listener({ tenantId, conversationId, messageId: '' });
    }
  };

  #listen(): Promise<() => Promise<void>> {
    return listen(this.db, MESSAGE_CHANNEL, this.#dispatch, {
      onReconnect: () => {
        this.reconnects++;
        this.logger?.info({ reconnects: this.reconnects }, 'widget stream LISTEN connection re-established');
        this.#wakeAll();
      },
      onLost: (error) =>
        this.logger?.warn({ err: error }, 'widget stream LISTEN connection lost; reconnecting'),
    });
  }
}

const hubs = new WeakMap<Database, MessageHub>();

/** The hub of this process for a database. */
export function messageHub(db: Database, logger?: Logger): MessageHub {
  const hub = hubs.get(db) ?? new MessageHub(db, logger);
  hubs.set(db, hub);
  return hub;
}
