import { z } from '../platform/zod.js';

const hexColor = z
  .string()
  .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/, 'must be a hex color like #1a2b3c');

/** A tenant's white-label branding (seed 001's BrandConfig, extended with product name and support email). */
export const brandConfigSchema = z
  .object({
    productName: z.string().min(1).max(120).optional(),
    supportEmail: z.email().optional(),
    logo: z
      .object({
        url: z.url(),
        alt: z.string().max(200),
        width: z.number().int().positive().max(4096).optional(),
      })
      .strict()
      .optional(),
    favicon: z.url().optional(),
    colors: z
      .object({
        primary: hexColor,
        primaryHover: hexColor.optional(),
        secondary: hexColor.optional(),
        background: hexColor.optional(),
        backgroundSubtle: hexColor.optional(),
        text: hexColor.optional(),
        textMuted: hexColor.optional(),
        border: hexColor.optional(),
      })
      .strict()
      .optional(),
    fonts: z
      .object({ heading: z.string().min(1).max(100), body: z.string().min(1).max(100) })
      .strict()
      .optional(),
    tagline: z.string().max(300).optional(),
    welcomeMessage: z.string().max(2000).optional(),
    completionMessage: z.string().max(2000).optional(),
    showPoweredBy: z.boolean().default(true),
  })
  .strict();

/** Outbound email identity of a tenant (seed 001's email_config). */
export const emailConfigSchema = z
  .object({
    fromName: z.string().min(1).max(120).optional(),
    fromEmail: z.email().optional(),
    replyTo: z.email().optional(),
    signature: z.string().max(4000).optional(),
  })
  .strict();

export type BrandConfig = z.input<typeof brandConfigSchema>;
export type EmailConfig = z.infer<typeof emailConfigSchema>;
