/**
 * A TCP proxy on loopback in front of the PostgreSQL server, that a test can cut: every open
 * connection is destroyed and new ones are refused (reset) until `restore`. To Frontdesk this is
 * what a restart, a failover or a network partition looks like, without touching the shared
 * server: other test runs on the same PostgreSQL are unaffected, so the case can repeat.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export class CuttableProxy {
  #server: Server | undefined;
  #sockets = new Set<Socket>();
  #down = false;
  #frozen = false;
  port = 0;
  /** Connections accepted and forwarded so far (a test can check traffic went through). */
  connections = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<this> {
    this.#server = createServer((client) => {
      if (this.#down) {
        client.resetAndDestroy();
        return;
      }
      this.connections++;
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).on('error', () => {});
      upstream.pipe(client).on('error', () => {});
      if (this.#frozen) for (const s of [client, upstream]) s.pause();
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as { port: number }).port;
    return this;
  }

  /** The database "goes away": open connections are reset, new ones refused. */
  cut(): void {
    this.#down = true;
    for (const s of this.#sockets) s.resetAndDestroy();
    this.#sockets.clear();
  }

  /**
   * The database stops answering without closing anything (a hung server, or a pooler queueing
   * queries it cannot send): open connections stay up, nothing more is forwarded either way.
   */
  freeze(): void {
    this.#frozen = true;
    for (const s of this.#sockets) s.pause();
  }

  /** The database is back (after `cut`) or answers again (after `freeze`). */
  restore(): void {
    this.#down = false;
    this.#frozen = false;
    for (const s of this.#sockets) s.resume();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }
}
