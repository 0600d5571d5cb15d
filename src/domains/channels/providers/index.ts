/** The provider modules by name (inbound) and by channel kind (outbound transports). */
import type { ChannelKind } from '../tables.js';
import { emailInbound, emailTransport } from './email.js';
import { slackInbound, slackTransport } from './slack.js';
import { telegramInbound, telegramTransport } from './telegram.js';
import { twilioInbound, twilioTransport } from './twilio.js';
import type { InboundAdapter, Transport } from './types.js';
import { whatsappInbound, whatsappTransport } from './whatsapp.js';

export const INBOUND_ADAPTERS = {
  twilio: twilioInbound,
  whatsapp: whatsappInbound,
  telegram: telegramInbound,
  slack: slackInbound,
  email: emailInbound,
} as const satisfies Record<string, InboundAdapter>;

/** Kinds without a transport (widget, api, teams) keep the message for their own readers. */
export const TRANSPORTS: Partial<Record<ChannelKind, Transport>> = {
  sms: twilioTransport,
  whatsapp: whatsappTransport,
  telegram: telegramTransport,
  slack: slackTransport,
  email: emailTransport,
};
