/**
 * GET /widget/:widgetKey/config: what the embedded widget (`/widget.js`) needs to draw itself,
 * and nothing a page should not see: the widget settings' appearance, launcher, window and
 * visitor-facing texts, the pre-chat form (`preChatEmail`, `behavior.preChatMessage`), the
 * tenant's public branding (name, logo, colours, fonts), and whether an active AI agent answers
 * (else the widget shows the offline message). Never: allowed origins, secrets, agent ids,
 * internal settings. The same guards as every widget request (key, origin, tenant serving,
 * per-IP budget).
 */
import { sql } from 'drizzle-orm';
import { rows } from '../../../platform/db/database.js';
import { withTenant } from '../../../platform/db/tenant.js';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import type { BrandConfig } from '../../../schema/tenant-brand.js';
import { PRE_CHAT_EMAIL, type PreChatEmail } from '../tables.js';
import { keyParam, type WidgetKit } from './widget-kit.js';

type Settings = {
  appearance: unknown;
  behavior: unknown;
  launcher: unknown;
  chatWindow: unknown;
  preChatEmail: PreChatEmail;
};

const HEX = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
const POSITIONS = ['bottom-right', 'bottom-left'] as const;

/** A string setting, trimmed and bounded, or null (settings are free-form JSON). */
const str = (v: unknown, max = 500): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : null;
const color = (v: unknown): string | null => (typeof v === 'string' && HEX.test(v) ? v : null);
const size = (v: unknown, min: number, max: number): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : null;
const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export const widgetConfigSchema = z
  .object({
    title: z.string(),
    subtitle: z.string().nullable(),
    greeting: z.string().nullable(),
    offlineMessage: z.string().nullable(),
    online: z.boolean().openapi({ description: 'An active AI agent answers this widget.' }),
    preChatEmail: z.enum(PRE_CHAT_EMAIL).openapi({
      description:
        'The pre-chat form: `off`, `optional` (the visitor may skip it) or `required` (a conversation opens only with an email).',
    }),
    preChatMessage: z
      .string()
      .nullable()
      .openapi({ description: 'What the pre-chat form says above the email field.' }),
    launcher: z.object({ label: z.string(), icon: z.string().nullable() }),
    appearance: z.object({
      primaryColor: z.string(),
      textColor: z.string(),
      position: z.enum(POSITIONS),
      fontFamily: z.string().nullable(),
    }),
    window: z.object({ width: z.number().int(), height: z.number().int() }),
    brand: z.object({
      name: z.string(),
      logoUrl: z.string().nullable(),
      logoAlt: z.string().nullable(),
      showPoweredBy: z.boolean(),
    }),
  })
  .openapi('WidgetConfig');
export type WidgetConfig = z.infer<typeof widgetConfigSchema>;

/** The public view of a widget: settings (its agent's row, else the tenant-wide one) and brand. */
export function publicWidgetConfig(input: {
  tenantName: string;
  brand: BrandConfig;
  settings: Settings | null;
  online: boolean;
}): WidgetConfig {
  const appearance = obj(input.settings?.appearance);
  const behavior = obj(input.settings?.behavior);
  const launcher = obj(input.settings?.launcher);
  const win = obj(input.settings?.chatWindow);
  const brand = input.brand;
  const name = str(brand.productName, 120) ?? input.tenantName;
  const position = POSITIONS.find((p) => p === appearance.position) ?? 'bottom-right';
  return {
    title: str(win.title, 120) ?? name,
    subtitle: str(win.subtitle, 200),
    greeting: str(behavior.greeting, 2000) ?? str(brand.welcomeMessage, 2000),
    offlineMessage: str(behavior.offlineMessage, 2000),
    online: input.online,
    preChatEmail: input.settings?.preChatEmail ?? 'off',
    preChatMessage: str(behavior.preChatMessage, 500),
    launcher: { label: str(launcher.label, 60) ?? 'Chat with us', icon: str(launcher.icon, 40) },
    appearance: {
      primaryColor: color(appearance.primaryColor) ?? color(brand.colors?.primary) ?? '#2563eb',
      textColor: color(appearance.textColor) ?? '#ffffff',
      position,
      fontFamily: str(appearance.fontFamily, 100) ?? str(brand.fonts?.body, 100),
    },
    window: { width: size(win.width, 280, 640) ?? 380, height: size(win.height, 360, 900) ?? 560 },
    brand: {
      name,
      logoUrl: brand.logo?.url ?? null,
      logoAlt: brand.logo?.alt ?? null,
      showPoweredBy: brand.showPoweredBy ?? true,
    },
  };
}

export const getWidgetConfigOperation = (kit: WidgetKit) =>
  operation({
    method: 'get',
    path: '/widget/:widgetKey/config',
    scope: 'public',
    tag: 'Widget',
    operationId: 'getWidgetConfig',
    summary: 'What the widget shows',
    description:
      'The public settings of a widget for `/widget.js`: texts, colours, launcher, window size, the pre-chat form, the tenant’s public branding and whether an AI agent answers. No visitor token needed.',
    request: { params: keyParam },
    responses: { 200: { description: 'The widget’s public settings', schema: widgetConfigSchema } },
    load: ({ c, platform }) => kit.gate(c, platform),
    handler: async ({ c, platform, loaded: widget }) => {
      const [found] = await withTenant(platform.db, widget.tenantId, (tx) =>
        rows<{ name: string; brand_config: BrandConfig | null; settings: Settings | null; online: boolean }>(
          tx,
          sql`SELECT t.name, t.brand_config,
                (SELECT json_build_object('appearance', w.appearance, 'behavior', w.behavior,
                          'launcher', w.launcher, 'chatWindow', w.chat_window,
                          'preChatEmail', w.pre_chat_email)
                   FROM widget_settings w
                  WHERE w.tenant_id = ch.tenant_id AND (w.agent_id = ch.agent_id OR w.agent_id IS NULL)
                  ORDER BY w.agent_id NULLS LAST LIMIT 1) AS settings,
                CASE WHEN ch.agent_id IS NOT NULL
                     THEN EXISTS (SELECT 1 FROM agents a
                                   WHERE a.tenant_id = ch.tenant_id AND a.id = ch.agent_id AND a.status = 'active')
                     ELSE EXISTS (SELECT 1 FROM agents a
                                   WHERE a.tenant_id = ch.tenant_id AND a.status = 'active') END AS online
              FROM channels ch JOIN tenants t ON t.id = ch.tenant_id
             WHERE ch.tenant_id = ${widget.tenantId} AND ch.id = ${widget.channel.id}`,
        ),
      );
      c.header('cache-control', 'no-cache');
      return publicWidgetConfig({
        tenantName: found!.name,
        brand: found!.brand_config ?? {},
        settings: found!.settings,
        online: found!.online,
      });
    },
  });
