/**
 * The pre-chat form: when the widget's settings ask for it (`preChatEmail`), an email field above
 * the message box until the visitor's first message is sent; the email goes with that message.
 * Then the form is done for good on this browser (kept with the token, per widget key). A
 * `required` form must be filled; an `optional` one may be left empty.
 *
 * The server has the last word: a visitor who kept an older conversation is not asked, and if a
 * new conversation then needs an email (`/problems/email-required`) the form comes back.
 */
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiFailure, WidgetConfig } from './api.js';
import type { Visit } from './main.js';

const MISSING = 'Please enter your email to start the chat.';
const INVALID = 'Please enter a valid email address, like name@example.com.';

/** The form's state; `take()` before sending, `sent()` after, `refused()` when the server says no. */
export function usePreChat(
  config: WidgetConfig,
  visit: { current: Visit },
  storage: { write(value: Visit): void },
) {
  const mode = config.preChatEmail;
  // Asked on an `off` widget only when the server demanded it (settings changed since the page loaded).
  const required = mode !== 'optional';
  const [asking, setAsking] = useState(
    () => mode !== 'off' && !visit.current.preChatDone && !visit.current.conversationId,
  );
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (error) field.current?.focus();
  }, [error, asking]);

  return {
    asking,
    field,
    /** The email to send: undefined when none is asked or given, null when the visitor must fix it first. */
    take(): string | undefined | null {
      if (!asking) return undefined;
      const value = email.trim();
      const problem = !value
        ? required
          ? MISSING
          : null
        : field.current && !field.current.validity.valid
          ? INVALID
          : null;
      setError(problem);
      if (problem) field.current?.focus();
      return problem ? null : value || undefined;
    },
    /** The first message went through: the form is not shown again. */
    sent() {
      if (!asking) return;
      setAsking(false);
      setEmail('');
      setError(null);
      visit.current = { ...visit.current, preChatDone: true };
      storage.write(visit.current);
    },
    /** Whether the server refused for want of a (valid) email; then the form asks again. */
    refused(failure: ApiFailure): boolean {
      const missing = failure.type === '/problems/email-required';
      if (!missing && !(failure.status === 422 && failure.fields.includes('email'))) return false;
      setAsking(true);
      setError(missing ? MISSING : INVALID);
      return true;
    },
    view: { required, message: config.preChatMessage, value: email, error, setEmail },
  };
}
export type PreChat = ReturnType<typeof usePreChat>;

/** The email field, labelled, described by the form's message and by its error when there is one. */
export function PreChatField({ form, onEnter }: { form: PreChat; onEnter(): void }) {
  const { required, message, value, error, setEmail } = form.view;
  return (
    <div class="prechat">
      <p id="fd-prechat-note">{message ?? 'Leave your email so we can get back to you.'}</p>
      <label for="fd-email">{required ? 'Your email' : 'Your email (optional)'}</label>
      <input
        id="fd-email"
        ref={form.field as RefObject<HTMLInputElement>}
        type="email"
        autocomplete="email"
        maxLength={254}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'fd-prechat-note fd-email-error' : 'fd-prechat-note'}
        value={value}
        onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          // Enter moves on to the message (or sends it, when one is written), never a half form.
          if (e.key === 'Enter') {
            e.preventDefault();
            onEnter();
          }
        }}
      />
      {error && (
        <p id="fd-email-error" class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
