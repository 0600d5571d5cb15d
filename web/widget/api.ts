/** The visitor API (docs/widget.md) as the widget uses it, and a fetch-based SSE reader. */

export interface WidgetConfig {
  title: string;
  subtitle: string | null;
  greeting: string | null;
  offlineMessage: string | null;
  online: boolean;
  /** The pre-chat form: ask the visitor's email before the first message (or not). */
  preChatEmail: 'off' | 'optional' | 'required';
  preChatMessage: string | null;
  launcher: { label: string; icon: string | null };
  appearance: {
    primaryColor: string;
    textColor: string;
    position: 'bottom-right' | 'bottom-left';
    fontFamily: string | null;
  };
  window: { width: number; height: number };
  brand: { name: string; logoUrl: string | null; logoAlt: string | null; showPoweredBy: boolean };
}

export interface Stored {
  id: string;
  role: string;
  content: string;
  createdAt: string;
}

export function api(base: string, key: string) {
  const root = `${base}/v1/widget/${encodeURIComponent(key)}`;
  const call = async <T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    const res = await fetch(`${root}${path}`, { ...init, headers });
    if (!res.ok) throw await failure(res);
    return (await res.json()) as T;
  };
  return {
    root,
    config: () => call<WidgetConfig>('/config'),
    session: (token?: string) =>
      call<{ visitorId: string; token: string }>('/sessions', {
        method: 'POST',
        body: JSON.stringify(token ? { token } : {}),
      }),
    /** `email`: the pre-chat form's, sent with the first message only. */
    send: (token: string, text: string, email?: string) =>
      call<{ conversationId: string; messageId: string }>('/messages', {
        method: 'POST',
        token,
        body: JSON.stringify(email ? { text, email } : { text }),
      }),
    history: (token: string, conversationId: string) =>
      call<{ data: Stored[] }>(`/conversations/${conversationId}/messages`, { token }),
  };
}
export type WidgetApi = ReturnType<typeof api>;

/** A refused request: its status, and from its problem document the type and the fields named. */
export interface ApiFailure extends Error {
  status: number;
  type?: string;
  fields: string[];
}

async function failure(res: Response): Promise<ApiFailure> {
  const problem = (await res.json().catch(() => ({}))) as { type?: string; errors?: { path?: string }[] };
  return Object.assign(new Error(`widget API ${res.status}`), {
    status: res.status,
    ...(problem.type ? { type: problem.type } : {}),
    fields: (problem.errors ?? []).map((e) => e.path ?? ''),
  });
}

/**
 * Reads the reply stream from `lastId` on, calling `onMessage` per reply; reconnects (from the
 * last reply delivered) until `stop()` is called. Returns `stop`.
 */
export function openStream(
  url: string,
  token: string,
  lastId: string | null,
  onMessage: (m: Stored) => void,
): () => void {
  const controller = new AbortController();
  let cursor = lastId;
  let delay = 500;
  const run = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      try {
        const headers: Record<string, string> = {
          authorization: `Bearer ${token}`,
          accept: 'text/event-stream',
        };
        if (cursor) headers['last-event-id'] = cursor;
        const res = await fetch(url, { headers, signal: controller.signal });
        if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
        delay = 500;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf('\n\n');
            const event = /^event: ?(.*)$/m.exec(block)?.[1];
            const data = block
              .split('\n')
              .filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).replace(/^ /, ''))
              .join('\n');
            if (event === 'message' && data) {
              const m = JSON.parse(data) as Stored;
              cursor = m.id;
              onMessage(m);
            }
          }
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  };
  void run();
  return () => controller.abort();
}
