/**
 * A local stand-in for an OpenAI-compatible chat API (POST /v1/chat/completions) that checks
 * what a real one checks: the Bearer key, a JSON body with a model and well-formed messages. It
 * answers the way the responder asks (a JSON object with answer, confidence and sources), from
 * the first numbered passage of the system prompt, and reports usage tokens.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  temperature?: number;
  response_format?: { type: string };
}

export interface FakeChat {
  url: string;
  requests: FakeChatRequest[];
  /** Tokens reported per call, in order. */
  usage: Array<{ prompt_tokens: number; completion_tokens: number }>;
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const ROLES = new Set(['system', 'user', 'assistant']);

function invalid(body: unknown): string | null {
  const b = body as FakeChatRequest;
  if (typeof b?.model !== 'string' || b.model === '') return 'model is required';
  if (!Array.isArray(b.messages) || b.messages.length === 0) return 'messages must be a non-empty array';
  for (const m of b.messages) {
    if (!ROLES.has(m?.role) || typeof m.content !== 'string')
      return 'each message needs a role and string content';
  }
  return null;
}

/** The first passage's answer (after `A: `) or text, as the model would extract it. */
function answerFrom(system: string): { answer: string; sources: number[] } {
  const passages = system.split('Passages:\n')[1] ?? '';
  const first = /\[1\][^\n]*\n(?:Q: [^\n]*\nA: )?([^\n]+)/.exec(passages);
  return first ? { answer: first[1]!.trim(), sources: [1] } : { answer: '', sources: [] };
}

export async function startFakeChat(options: { apiKey: string }): Promise<FakeChat> {
  const requests: FakeChatRequest[] = [];
  const usage: FakeChat['usage'] = [];
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      return send(404, { error: { message: 'not found' } });
    }
    if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return send(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
    }
    let body: unknown;
    try {
      body = JSON.parse(await bodyOf(req));
    } catch {
      return send(400, { error: { message: 'body is not JSON' } });
    }
    const problem = invalid(body);
    if (problem) return send(400, { error: { message: problem, type: 'invalid_request_error' } });
    const request = body as FakeChatRequest;
    requests.push(request);
    const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
    const { answer, sources } = answerFrom(system);
    const content = JSON.stringify({ answer, confidence: answer ? 0.92 : 0, sources });
    const tokens = {
      prompt_tokens: Math.ceil(request.messages.reduce((n, m) => n + m.content.length, 0) / 4),
      completion_tokens: Math.ceil(content.length / 4),
    };
    usage.push(tokens);
    send(200, {
      id: `chatcmpl-${requests.length}`,
      object: 'chat.completion',
      model: `${request.model}-2024-07-18`,
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
      usage: { ...tokens, total_tokens: tokens.prompt_tokens + tokens.completion_tokens },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    usage,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
