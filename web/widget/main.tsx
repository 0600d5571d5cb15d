/**
 * The embeddable chat widget: `<script src="https://frontdesk.example/widget.js" data-widget-key="wk_…" async>`.
 * Draws a launcher and a chat window in a shadow root (the page's CSS cannot reach it, ours cannot
 * leak), styled from GET /v1/widget/{key}/config. Talks to the visitor API (docs/widget.md).
 *
 * No lost replies: the history is read first, then the reply stream is opened with
 * `Last-Event-ID` = the last message seen, so whatever was stored in between is sent; a dropped
 * stream reconnects from the last message it delivered. The stream is read with fetch (not
 * EventSource) so the visitor token travels in `Authorization`, not in the URL.
 */
import { render } from 'preact';
import { api, openStream, type WidgetConfig } from './api.js';
import { Widget } from './widget.js';

function boot(): void {
  const script = document.currentScript as HTMLScriptElement | null;
  const key = script?.dataset.widgetKey;
  if (!script || !key) {
    console.error('frontdesk widget: the script tag needs data-widget-key="wk_…"');
    return;
  }
  const base = new URL(script.src).origin;
  const client = api(base, key);
  const host = document.createElement('div');
  host.id = 'frontdesk-widget';
  const shadow = host.attachShadow({ mode: 'open' });
  const mount = () => {
    document.body.appendChild(host);
    client.config().then(
      (config: WidgetConfig) =>
        render(
          <Widget config={config} client={client} openStream={openStream} storage={storageFor(key)} />,
          shadow,
        ),
      (error: unknown) => console.error('frontdesk widget: cannot load its settings', error),
    );
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
}

/** What a visitor's browser keeps per widget key: token, conversation, whether the pre-chat form was answered. */
export interface Visit {
  token?: string;
  conversationId?: string;
  /** The pre-chat form was sent (with an email, or skipped when optional): it is not shown again. */
  preChatDone?: boolean;
}

/** The visitor's token and conversation, per widget key (survives reloads). */
function storageFor(key: string) {
  const name = `frontdesk-widget:${key}`;
  return {
    read(): Visit {
      try {
        return JSON.parse(localStorage.getItem(name) ?? '{}') as Visit;
      } catch {
        return {};
      }
    },
    write(value: Visit) {
      try {
        localStorage.setItem(name, JSON.stringify(value));
      } catch {
        // Storage refused (private mode): the conversation lasts as long as the page.
      }
    },
  };
}
export type WidgetStorage = ReturnType<typeof storageFor>;

boot();
