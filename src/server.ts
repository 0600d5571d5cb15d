/** Serves the app over HTTP and stops cleanly. */
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AppEnv } from './platform/http/context.js';

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting; resolves when in-flight requests have finished. */
  close(): Promise<void>;
  /** Cuts every open connection (the end of a shutdown whose requests overran its time). */
  closeAllConnections(): void;
}

export class ListenError extends Error {
  override name = 'ListenError';
}

export async function listen(app: Hono<AppEnv>, host: string, port: number): Promise<RunningServer> {
  const server = createAdaptorServer({ fetch: app.fetch, hostname: host });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new ListenError(
          error.code === 'EADDRINUSE'
            ? `PORT: ${host}:${port} is already in use; stop the other process or set PORT to another port`
            : `PORT: cannot listen on ${host}:${port} (${error.code ?? error.message})`,
        ),
      );
    });
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets would hold close() open; in-flight requests still finish.
        (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      }),
    closeAllConnections: () =>
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.(),
  };
}
