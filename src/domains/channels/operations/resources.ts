/**
 * The channels domain's standard resources (resourceOperations): channels (created by
 * create-channel.ts; kind and routing keys cannot change afterwards), integrations and widget
 * settings. Credentials (`secrets`) are write-only and sealed before they are written.
 */
import { AppError } from '../../../platform/errors.js';
import type { ResourceSpec } from '../../../platform/http/resource.js';
import { z } from '../../../platform/zod.js';
import { channels, integrations, widgetSettings } from '../tables.js';
import { CHANNEL_EXAMPLE, newWidgetKey, origin, sealed, withSecrets } from './kit.js';

export const channelResources: ResourceSpec[] = [
  {
    name: 'channels',
    component: 'Channel',
    tag: 'Channels',
    table: channels,
    writeRole: 'admin',
    // POST is create-channel.ts; kind and routing keys cannot change afterwards.
    create: false,
    hidden: ['secrets'],
    readOnly: ['kind', 'externalAccountId', 'widgetKey', 'lastError', 'lastInboundAt'],
    filters: ['kind', 'status', 'agentId', 'externalAccountId', 'widgetKey'],
    refine: withSecrets,
    prepare: sealed,
    example: CHANNEL_EXAMPLE,
    actions: [
      {
        name: 'rotate-widget-key',
        summary: 'Replace the widget key (embeds using the old key stop loading)',
        role: 'admin',
        apply(row) {
          if (row.kind !== 'widget') throw new AppError('conflict', 'only widget channels have a widget key');
          return { widgetKey: newWidgetKey() };
        },
      },
    ],
  },
  {
    name: 'integrations',
    component: 'Integration',
    tag: 'Channels',
    table: integrations,
    writeRole: 'admin',
    // `config` is returned: credentials belong in `secrets`.
    hidden: ['secrets'],
    readOnly: ['lastSyncAt', 'lastError'],
    filters: ['type', 'status', 'name'],
    refine: withSecrets,
    prepare: sealed,
    example: {
      type: 'hubspot',
      name: 'HubSpot CRM',
      config: { portalId: '24681357', syncContacts: true, pipeline: 'default' },
      secrets: { accessToken: 'pat-na1-00000000-0000-0000-0000-000000000000' },
    },
  },
  {
    name: 'widget-settings',
    component: 'WidgetSettings',
    tag: 'Channels',
    table: widgetSettings,
    writeRole: 'admin',
    filters: ['agentId'],
    refine: (s) => s.extend({ allowedOrigins: z.array(origin).max(100).optional() }),
    example: {
      agentId: '',
      appearance: { theme: 'light', primaryColor: '#0F766E', position: 'bottom-right' },
      behavior: {
        greeting: 'Hi! How can we help?',
        preChatMessage: 'Leave your email so we can answer even after you close this page.',
      },
      preChatEmail: 'optional',
      launcher: { icon: 'chat', label: 'Chat with us' },
      chatWindow: { title: 'Paradise Stays', subtitle: 'We usually reply in a few minutes', width: 380 },
      allowedOrigins: ['https://www.paradise-stays.example'],
    },
    refs: { agentId: 'agents' },
  },
];
