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
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Database, Tx } from '../../platform/db/database.js';

export const MESSAGE_CHANNEL = 'frontdesk_messages';

interface StoredMessage {
  tenantId: string;
  conversationId: string;
  messageId: string;
}

/** Announces a stored message to live streams, when (and only if) the transaction commits. */
export async function notifyMessageStored(tx: Tx, message: StoredMessage): Promise<void> {
  await tx.execute(sql`SELECT pg_notify(${MESSAGE_CHANNEL}, ${JSON.stringify(message)})`);
}

type Listener = () => void;

/** The per-process fan-out from the notification channel to open streams, keyed by conversation. */
export class MessageHub {
  readonly #listeners = new Map<string, Set<Listener>>();
  #stop: Promise<() => Promise<void>> | undefined;

  constructor(private readonly db: Database) {}

  /** Calls `listener` whenever a message of the conversation is stored; returns the unsubscribe. */
  async subscribe(
    tenantId: string,
    conversationId: string,
    listener: Listener,
  ): Promise<() => Promise<void>> {
    const key = `${tenantId}:${conversationId}`;
    const set = this.#listeners.get(key) ?? new Set<Listener>();
    this.#listeners.set(key, set);
    set.add(listener);
    this.#stop ??= this.#listen();
    await this.#stop;
    return async () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(key);
      if (this.#listeners.size === 0 && this.#stop) {
        const stopping = this.#stop;
        this.#stop = undefined;
        await (await stopping)();
      }
    };
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
    for (const listener of this.#listeners.get(`${message.tenantId}:${message.conversationId}`) ?? []) {
      listener();
    }
  };

  async #listen(): Promise<() => Promise<void>> {
    if (this.db.pglite) {
      const unlisten = await this.db.pglite.listen(MESSAGE_CHANNEL, this.#dispatch);
      return () => unlisten();
    }
    const client: pg.PoolClient = await this.db.pool!.connect();
    const onNotification = (n: pg.Notification) => {
      if (n.channel === MESSAGE_CHANNEL && n.payload) this.#dispatch(n.payload);
    };
    client.on('notification', onNotification);
    await client.query(`LISTEN ${MESSAGE_CHANNEL}`);
    return async () => {
      client.off('notification', onNotification);
      try {
        await client.query(`UNLISTEN ${MESSAGE_CHANNEL}`);
        client.release();
      } catch (error) {
        client.release(error as Error);
      }
    };
  }
}

const hubs = new WeakMap<Database, MessageHub>();

/** The hub of this process for a database. */
export function messageHub(db: Database): MessageHub {
  const hub = hubs.get(db) ?? new MessageHub(db);
  hubs.set(db, hub);
  return hub;
}
