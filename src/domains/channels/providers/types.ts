/**
 * What every provider module implements: the inbound side (find the receiving account, verify
 * the provider's signature, turn the body into normalized events) and the outbound transport.
 * The shared machinery (inbound.ts, deliver.ts) never looks at a provider's wire format.
 */
import type { Config } from '../../../platform/config.js';
import type { IdentityKind } from '../../conversations/intake.js';
import type { ChannelKind } from '../tables.js';

/** An inbound webhook as received: the raw body is kept because signatures cover its bytes. */
export interface InboundRequest {
  method: string;
  /** The URL the provider called, as it saw it (config.publicUrl when set). */
  url: string;
  headers: Headers;
  rawBody: string;
  /** Route parameters (e.g. the Telegram bot id, the Slack team id). */
  params: Record<string, string>;
  now: Date;
}

export type DeliveryState = 'sent' | 'delivered' | 'read' | 'failed';

/** What is stored in inbound_events.payload and handed to the job: normalized, no secrets. */
export type NormalizedEvent =
  | {
      type: 'message.received';
      eventId: string;
      identity: { kind: IdentityKind; value: string; displayName?: string };
      text: string;
      externalMessageId: string;
      externalThreadId?: string;
      /** Where a reply goes when it is not the sender's identity (Slack channel, Telegram chat). */
      replyTo?: string;
      metadata?: Record<string, unknown>;
    }
  | {
      type: 'message.status';
      eventId: string;
      providerMessageId: string;
      status: DeliveryState;
      providerStatus: string;
      errorCode?: string;
      errorMessage?: string;
    };

export interface ParsedInbound {
  events: NormalizedEvent[];
  /** A body the provider expects back (Slack's challenge, Twilio's TwiML); default 200 "ok". */
  reply?: { body: string; contentType: string };
}

export interface InboundAdapter {
  /** inbound_events.provider: the namespace of the provider's event ids. */
  provider: string;
  kind: ChannelKind;
  /** The receiving account (routes to the channel). Throws bad_request when the body has none. */
  account(req: InboundRequest): string;
  /** Throws unauthorized unless the request carries the provider's valid signature. */
  verify(req: InboundRequest, secrets: Record<string, string>): void;
  /**
   * The signature's single-use value, when the provider asks receivers to remember it (Mailgun's
   * `token`): the same nonce with another body is refused as a replay.
   */
  nonce?(req: InboundRequest): string | undefined;
  /** Throws bad_request on a malformed body. Events the channel does not act on are left out. */
  parse(req: InboundRequest): ParsedInbound;
}

/** An outbound message as a transport needs it. */
export interface OutboundMessage {
  /** Frontdesk's message id: the idempotency key / correlation id towards the provider. */
  messageId: string;
  /** The recipient on the provider (phone, chat id, Slack channel, email address). */
  to: string;
  text: string;
  /** Provider thread to reply in (Slack thread ts, email Message-ID). */
  threadId?: string;
  subject?: string;
}

export interface TransportContext {
  config: Config;
  /** channels.external_account_id: the sending number, phone-number id, bot id, team, address. */
  account: string;
  secrets: Record<string, string>;
  /** From the platform clock (Retry-After dates are relative to it). */
  now: Date;
}

export interface Transport {
  send(ctx: TransportContext, message: OutboundMessage): Promise<{ providerMessageId: string }>;
  /**
   * Whether an attempt whose outcome is unknown (the worker died or lost the answer) reached the
   * provider. Transports without it resend; see docs/channels.md.
   */
  lookup?(ctx: TransportContext, message: OutboundMessage, since: Date): Promise<string | undefined>;
  /** Resending with the same key cannot produce a second copy (the provider or recipient dedupes). */
  idempotent?: boolean;
}

/**
 * A failed provider call: retryable (5xx, 429, network) or not (4xx), with the provider's wait.
 * `ambiguous`: the request may have reached the provider (the connection broke before the
 * answer), so the attempt's outcome is unknown and the next run checks before resending.
 */
export class TransportError extends Error {
  override name = 'TransportError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly code: string,
    readonly retryAfterMs?: number,
    readonly ambiguous = false,
  ) {
    super(message);
  }
}
