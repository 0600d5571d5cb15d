/**
 * The base of the provider fakes: a real HTTP server on loopback that hands each request to the
 * provider's handler (which checks credentials and payloads like the provider does), records
 * what was accepted, and can be told to misbehave for the next requests: answer an error status
 * (429 with Retry-After, 500), or accept the message and then drop the connection, so the client
 * never learns the outcome (what a worker killed mid-request leaves behind).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

type Trouble = { kind: 'status'; response: FakeResponse } | { kind: 'drop' } | { kind: 'hang' };

export class HttpFake {
  /** Every request received, accepted or not. */
  readonly requests: FakeRequest[] = [];
  private readonly trouble: Trouble[] = [];
  private server: Server | undefined;
  url = '';

  constructor(private readonly handle: (req: FakeRequest) => FakeResponse) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.onRequest(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next `times` requests get this answer instead of being handled. */
  failNext(
    status: number,
    options: { times?: number; retryAfterSeconds?: number; body?: unknown } = {},
  ): void {
    const headers: Record<string, string> =
      options.retryAfterSeconds !== undefined ? { 'retry-after': String(options.retryAfterSeconds) } : {};
    for (let i = 0; i < (options.times ?? 1); i++) {
      this.trouble.push({
        kind: 'status',
        response: { status, body: options.body ?? { error: `injected ${status}` }, headers },
      });
    }
  }

  /** The next request is handled (the message accepted) but the connection is cut before the answer. */
  dropNextAnswer(): void {
    this.trouble.push({ kind: 'drop' });
  }

  /** The next request is handled (the message accepted) and never answered: the client waits. */
  hangNext(): void {
    this.trouble.push({ kind: 'hang' });
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(request);
    const trouble = this.trouble.shift();
    if (trouble?.kind === 'status') return send(res, trouble.response);
    const response = this.handle(request);
    if (trouble?.kind === 'drop') {
      res.socket?.destroy();
      return;
    }
    if (trouble?.kind === 'hang') return;
    send(res, response);
  }
}

function send(res: ServerResponse, r: FakeResponse): void {
  res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
  res.end(JSON.stringify(r.body));
}

/** Parses an HTTP Basic authorization header. */
export function basicAuth(header: string | undefined): { user: string; password: string } | undefined {
  const m = /^Basic (.+)$/.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? undefined : { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

export const bearer = (header: string | undefined): string | undefined =>
  /^Bearer (.+)$/.exec(header ?? '')?.[1];
