/** The launcher and the chat window (rendered in the widget's shadow root). */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiFailure, openStream as OpenStream, Stored, WidgetApi, WidgetConfig } from './api.js';
import type { Visit, WidgetStorage } from './main.js';
import { PreChatField, usePreChat } from './pre-chat.js';
import { styles } from './styles.js';

interface Props {
  config: WidgetConfig;
  client: WidgetApi;
  openStream: typeof OpenStream;
  storage: WidgetStorage;
}
interface Shown extends Stored {
  pending?: boolean;
}

const THEIRS = new Set(['assistant', 'agent', 'system']);
/** How long the typing indicator waits for a reply before giving up. */
const TYPING_MS = 60_000;

/** Messages by id, in id order (UUIDv7: time order); local echoes (pending) last. */
function merge(list: Shown[], incoming: Shown[]): Shown[] {
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) =>
    a.pending === b.pending ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.pending ? 1 : -1,
  );
}

export function Widget({ config, client, openStream, storage }: Props) {
  const [open, setOpen] = useState(false);
  const [messages, setMessages] = useState<Shown[]>([]);
  const [draft, setDraft] = useState('');
  const [typing, setTyping] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const session = useRef<Visit>(storage.read());
  const preChat = usePreChat(config, session, storage);
  const stop = useRef<(() => void) | null>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const launcher = useRef<HTMLButtonElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const log = useRef<HTMLDivElement>(null);

  const receive = (m: Stored) => {
    setMessages((list) => merge(list, [m]));
    if (THEIRS.has(m.role)) {
      clearTimeout(typingTimer.current);
      setTyping(false);
    }
  };

  const token = async (): Promise<string> => {
    const renewed = await client.session(session.current.token);
    session.current = { ...session.current, token: renewed.token };
    storage.write(session.current);
    return renewed.token;
  };

  /** History first, then the stream from the last message seen: nothing stored in between is lost. */
  const follow = async (t: string, conversationId: string) => {
    const { data } = await client.history(t, conversationId);
    setMessages((list) =>
      merge(
        list.filter((m) => !m.pending),
        data,
      ),
    );
    stop.current?.();
    stop.current = openStream(
      `${client.root}/conversations/${conversationId}/stream`,
      t,
      data.at(-1)?.id ?? null,
      receive,
    );
  };

  useEffect(() => {
    if (!open) return;
    (preChat.asking ? preChat.field : input).current?.focus();
    const { conversationId } = session.current;
    if (!conversationId || stop.current) return;
    token()
      .then((t) => follow(t, conversationId))
      .catch((e: { status?: number }) => {
        // The conversation is gone (or another widget's): start afresh.
        if (e.status === 404 || e.status === 401) {
          session.current = {};
          storage.write({});
        } else setError('Cannot reach the chat right now. Please try again.');
      });
  }, [open]);

  useEffect(() => () => stop.current?.(), []);
  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [messages, typing, open]);

  const send = async (e?: Event) => {
    e?.preventDefault();
    const text = draft.trim();
    if (!text) return;
    const email = preChat.take();
    if (email === null) return;
    setDraft('');
    setError(null);
    const local: Shown = {
      id: `local-${Date.now()}`,
      role: 'user',
      content: text,
      createdAt: '',
      pending: true,
    };
    setMessages((list) => merge(list, [local]));
    try {
      const t = await token();
      const sent = await client.send(t, text, email);
      preChat.sent();
      setTyping(config.online);
      clearTimeout(typingTimer.current);
      typingTimer.current = setTimeout(() => setTyping(false), TYPING_MS);
      if (sent.conversationId !== session.current.conversationId || !stop.current) {
        session.current = { ...session.current, conversationId: sent.conversationId };
        storage.write(session.current);
        await follow(t, sent.conversationId);
      } else {
        setMessages((list) =>
          merge(
            list.filter((m) => m.id !== local.id),
            [{ ...local, id: sent.messageId, pending: false }],
          ),
        );
      }
    } catch (failure) {
      setMessages((list) => list.filter((m) => m.id !== local.id));
      setDraft(text);
      if (!preChat.refused(failure as ApiFailure)) setError('Your message was not sent. Please try again.');
    }
  };

  const close = () => {
    setOpen(false);
    launcher.current?.focus();
  };
  const { appearance, window: size } = config;
  const vars = `:host{--fd-primary:${appearance.primaryColor};--fd-on-primary:${appearance.textColor};--fd-font:${
    appearance.fontFamily ? `"${appearance.fontFamily.replace(/["\\]/g, '')}", ` : ''
  }system-ui, -apple-system, "Segoe UI", sans-serif;--fd-width:${size.width}px;--fd-height:${size.height}px}`;
  const side = appearance.position === 'bottom-left' ? 'left' : 'right';
  const shown =
    messages.length === 0 && config.greeting
      ? [{ id: 'greeting', role: 'assistant', content: config.greeting, createdAt: '' }]
      : messages;

  return (
    <div class={`fd ${side}`}>
      <style>{vars + styles}</style>
      {open && (
        <section
          id="fd-window"
          class="window"
          role="dialog"
          aria-labelledby="fd-title"
          onKeyDown={(e) => e.key === 'Escape' && close()}
        >
          <header class="head">
            {config.brand.logoUrl && (
              <img class="logo" src={config.brand.logoUrl} alt={config.brand.logoAlt ?? ''} />
            )}
            <div class="titles">
              <h2 id="fd-title">{config.title}</h2>
              {config.subtitle && <p class="subtitle">{config.subtitle}</p>}
            </div>
            <button type="button" class="close" aria-label="Close chat" onClick={close}>
              ×
            </button>
          </header>
          {!config.online && config.offlineMessage && (
            <p class="offline" role="note">
              {config.offlineMessage}
            </p>
          )}
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (axe: scrollable-region-focusable) */}
          <div class="log" role="log" aria-live="polite" aria-label="Conversation" ref={log} tabIndex={0}>
            {shown.map((m) => (
              <div key={m.id} class={`msg ${THEIRS.has(m.role) ? 'theirs' : 'mine'}`}>
                <span class="sr">{THEIRS.has(m.role) ? `${config.brand.name}: ` : 'You: '}</span>
                {m.content}
              </div>
            ))}
            {typing && (
              <div class="typing" role="status">
                <span class="dots" aria-hidden="true">
                  <i />
                  <i />
                  <i />
                </span>
                <span class="sr">{config.brand.name} is typing</span>
              </div>
            )}
          </div>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          {/* noValidate: the pre-chat email is checked by the widget, which says what is wrong in the window. */}
          <form class="compose" onSubmit={send} noValidate>
            {preChat.asking && (
              <PreChatField
                form={preChat}
                onEnter={() => (draft.trim() ? void send() : input.current?.focus())}
              />
            )}
            <label class="sr" for="fd-input">
              Your message
            </label>
            <textarea
              id="fd-input"
              ref={input}
              rows={2}
              maxLength={4000}
              placeholder="Write a message…"
              value={draft}
              onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey) void send(e);
              }}
            />
            <button type="submit" class="send">
              Send
            </button>
          </form>
          {config.brand.showPoweredBy && <p class="powered">Powered by Frontdesk</p>}
        </section>
      )}
      <button
        type="button"
        class="launcher"
        ref={launcher}
        aria-expanded={open}
        aria-controls="fd-window"
        onClick={() => (open ? close() : setOpen(true))}
      >
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          <path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z" />
        </svg>
        <span>{config.launcher.label}</span>
      </button>
    </div>
  );
}
