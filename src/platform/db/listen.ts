/**
 * LISTEN on either engine. PGlite delivers notifications in-process; on a server, one dedicated
 * pooled connection LISTENs and survives the server going away (see ListenSession). NOTIFY is
 * transactional on both: a payload sent inside a transaction arrives only if it commits.
 */
import type pg from 'pg';
import type { Database } from './database.js';

/** Reconnect delays for a lost LISTEN connection: doubling from 250 ms, at most 5 s. */
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;

/**
 * Calls `dispatch` with the payload of every notification on `channel` until the returned stop
 * function is called. On a server, `onLost`/`onReconnect` report a dropped and re-established
 * connection (notifications sent in between are lost: re-read on reconnect). Channel names are
 * identifiers chosen by Frontdesk, never input.
 */
export async function listen(
  db: Database,
  channel: string,
  dispatch: (payload: string) => void,
  hooks: { onLost?: (error: unknown) => void; onReconnect?: () => void } = {},
): Promise<() => Promise<void>> {
  if (db.pglite) {
    const unlisten = await db.pglite.listen(channel, dispatch);
    return () => unlisten();
  }
  const session = new ListenSession(db.pool!, channel, dispatch, hooks.onReconnect ?? (() => {}));
  if (hooks.onLost) session.onLost = hooks.onLost;
  await session.open();
  return () => session.close();
}

/**
 * One LISTEN connection that survives the server: when it is lost (restart, pg_terminate_backend,
 * a network cut) it is discarded and a new one LISTENs again, with a doubling delay, until
 * `close`. Notifications sent while no connection listened are lost; `onReconnect` lets the
 * caller catch up by re-reading.
 */
class ListenSession {
  #client: pg.PoolClient | undefined;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #attempt = 0;
  onLost: (error: unknown) => void = () => {};

  constructor(
    private readonly pool: pg.Pool,
    private readonly channel: string,
    private readonly dispatch: (payload: string) => void,
    private readonly onReconnect: () => void,
  ) {}

  /** Connects and LISTENs; throws when the database is unreachable. */
  async open(): Promise<void> {
    const client = await this.pool.connect();
    let lost = false;
    const onError = (error: unknown) => {
      if (lost) return;
      lost = true;
      this.#lost(client, error);
    };
    client.on('error', onError);
    client.on('end', () => onError(new Error('Connection terminated')));
    client.on('notification', (n: pg.Notification) => {
      if (n.channel === this.channel && n.payload) this.dispatch(n.payload);
    });
    try {
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      lost = true;
      client.release(error as Error);
      throw error;
    }
    this.#client = client;
    if (this.#closed) await this.close();
  }

  #lost(client: pg.PoolClient, error: unknown): void {
    if (this.#client === client) this.#client = undefined;
    client.removeAllListeners('notification');
    try {
      client.release(error instanceof Error ? error : new Error(String(error)));
    } catch {
      // Released already (close raced the error).
    }
    if (this.#closed) return;
    this.onLost(error);
    this.#schedule();
  }

  #schedule(): void {
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** this.#attempt++);
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        if (this.#closed) return;
        this.open().then(
          () => {
            this.#attempt = 0;
            if (!this.#closed) this.onReconnect();
          },
          () => this.#schedule(),
        );
      },
      delay * (0.75 + Math.random() * 0.5),
    );
    this.#timer.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    if (!client) return;
    client.removeAllListeners('notification');
    let failure: Error | undefined;
    try {
      await client.query(`UNLISTEN ${this.channel}`);
    } catch (error) {
      failure = error as Error;
    }
    try {
      client.release(failure);
    } catch {
      // Released already: the connection was lost while UNLISTEN ran (#lost released it).
    }
  }
}
