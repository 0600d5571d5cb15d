/**
 * The live feed (GET /v1/live, Server-Sent Events read with fetch so the token stays in a
 * header): every stored message refreshes the inbox, that conversation and the queues.
 * Reconnects with a doubling delay; on reconnect or `resync` everything is refetched.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'preact/hooks';
import type { Session } from './session.js';

export function useLive(session: Session): void {
  const queries = useQueryClient();
  useEffect(() => {
    const controller = new AbortController();
    let delay = 500;
    const refreshAll = () => void queries.invalidateQueries();
    const onMessage = (conversationId: string) => {
      void queries.invalidateQueries({ queryKey: ['conversations'] });
      void queries.invalidateQueries({ queryKey: ['conversation', conversationId] });
      void queries.invalidateQueries({ queryKey: ['approvals'] });
      void queries.invalidateQueries({ queryKey: ['escalations'] });
    };
    const run = async () => {
      let first = true;
      while (!controller.signal.aborted) {
        try {
          const res = await fetch('/v1/live', {
            headers: { authorization: `Bearer ${session.token}`, 'frontdesk-tenant': session.tenantId },
            signal: controller.signal,
          });
          if (!res.ok || !res.body) throw new Error(`live ${res.status}`);
          if (!first) refreshAll();
          first = false;
          delay = 500;
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += value;
            for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const event = /^event: ?(.*)$/m.exec(block)?.[1];
              const data = /^data: ?(.*)$/m.exec(block)?.[1];
              if (event === 'resync') refreshAll();
              if (event === 'message' && data)
                onMessage((JSON.parse(data) as { conversationId: string }).conversationId);
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
  }, [session.token, session.tenantId]);
}
