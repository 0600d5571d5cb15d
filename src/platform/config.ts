import { resolve } from 'node:path';
import { type Keyring, parseKeyring } from './secrets.js';
import { z } from './zod.js';

/** Levels pino understands, plus `silent`. */
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const booleanSetting = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    .optional()
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: 'must be a postgres:// or postgresql:// URL',
    }),
  FRONTDESK_DATA_DIR: z.string().trim().min(1).default('./.frontdesk'),
  FRONTDESK_SNAPSHOT_DIR: z.string().trim().min(1).optional(),
  PORT: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(8787),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  FRONTDESK_BODY_LIMIT: z.coerce
    .number({ message: 'must be a number of bytes' })
    .int('must be a whole number of bytes')
    .min(1024, 'must be at least 1024 bytes')
    .default(1_048_576),
  /** Read by `frontdesk users create` only, so a password need not go through a terminal. */
  FRONTDESK_USER_PASSWORD: z.string().optional(),
  /** Public base URL of this server (what providers call; Twilio signs the full URL). */
  FRONTDESK_PUBLIC_URL: z.string().trim().url('must be a URL').optional(),
  /** Run job workers in `frontdesk start` (set false to run workers elsewhere). */
  FRONTDESK_WORKERS: booleanSetting.default(true),
  /** How long `frontdesk start` may take to stop on SIGTERM (requests and jobs finish), in ms. */
  FRONTDESK_SHUTDOWN_TIMEOUT_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(1000, 'must be at least 1000 ms')
    .default(10_000),
  /** Let outbound fetches (URL ingestion, webhooks, providers) reach private/loopback addresses. */
  FRONTDESK_ALLOW_PRIVATE_URLS: booleanSetting.default(false),
  FRONTDESK_EMBEDDINGS: z.enum(['offline', 'openai', 'ollama']).default('offline'),
  FRONTDESK_EMBEDDINGS_URL: z.string().trim().url('must be a URL').optional(),
  FRONTDESK_EMBEDDINGS_MODEL: z.string().trim().min(1).optional(),
  FRONTDESK_EMBEDDINGS_API_KEY: z.string().optional(),
  /** Vector size the HTTP provider must answer with (OpenAI: sent as `dimensions`). */
  FRONTDESK_EMBEDDINGS_DIMENSIONS: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(16_000, 'must be at most 16000')
    .optional(),
  /** Largest document the knowledge base ingests (file upload, URL body), in bytes. */
  FRONTDESK_KB_MAX_BYTES: z.coerce
    .number({ message: 'must be a number of bytes' })
    .int('must be a whole number of bytes')
    .min(1024, 'must be at least 1024 bytes')
    .default(10_485_760),
  /** Time limit for fetching a URL source, in milliseconds. */
  FRONTDESK_KB_FETCH_TIMEOUT_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number')
    .min(100, 'must be at least 100 ms')
    .default(15_000),
  /**
   * Chunks (of one embedding model) from which a tenant gets its own approximate (HNSW) index;
   * below it, exact scans (measured in docs/knowledge-search.md).
   */
  FRONTDESK_KB_ANN_THRESHOLD: z.coerce
    .number({ message: 'must be a number of chunks' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .default(10_000),
  FRONTDESK_CHAT: z.enum(['offline', 'openai']).default('offline'),
  FRONTDESK_CHAT_URL: z.string().trim().url('must be a URL').optional(),
  FRONTDESK_CHAT_MODEL: z.string().trim().min(1).optional(),
  FRONTDESK_CHAT_API_KEY: z.string().optional(),
  /** `log` (default): outbound messages are logged, not sent. `live`: sent through providers. */
  FRONTDESK_OUTBOUND: z.enum(['log', 'live']).default('log'),
  /** Provider API base URLs (defaults: the real providers; tests point them at local fakes). */
  FRONTDESK_TWILIO_API_URL: z.string().trim().url('must be a URL').default('https://api.twilio.com'),
  FRONTDESK_WHATSAPP_API_URL: z.string().trim().url('must be a URL').default('https://graph.facebook.com'),
  FRONTDESK_TELEGRAM_API_URL: z.string().trim().url('must be a URL').default('https://api.telegram.org'),
  FRONTDESK_SLACK_API_URL: z.string().trim().url('must be a URL').default('https://slack.com/api'),
  /** smtp://user:pass@host:port for outbound email. */
  FRONTDESK_SMTP_URL: z
    .string()
    .trim()
    .optional()
    .refine((v) => v === undefined || /^smtps?:\/\//.test(v), {
      message: 'must be an smtp:// or smtps:// URL',
    }),
  /** Keys that seal secrets at rest: `id:base64-32-bytes`, comma-separated, the first seals (src/platform/secrets.ts). */
  FRONTDESK_SECRETS_KEYS: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      try {
        parseKeyring(v);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
});

export type Config = {
  /** Server connection string; absent means the embedded PGlite engine. */
  databaseUrl: string | undefined;
  /** Folder of the embedded database and other local state. Absolute. */
  dataDir: string;
  /** Where the migrated embedded snapshot is kept (platform/db/snapshot.ts); absent: the package cache. */
  snapshotDir: string | undefined;
  port: number;
  host: string;
  logLevel: (typeof logLevels)[number];
  /** Largest request body accepted, in bytes (413 above). */
  bodyLimitBytes: number;
  /** Password for `frontdesk users create` (else read from stdin). Never logged. */
  userPassword: string | undefined;
  publicUrl: string | undefined;
  workers: boolean;
  /** Longest graceful shutdown (SIGTERM) before the rest is cut off. */
  shutdownTimeoutMs: number;
  allowPrivateUrls: boolean;
  embeddings: {
    provider: 'offline' | 'openai' | 'ollama';
    url: string | undefined;
    model: string | undefined;
    apiKey: string | undefined;
    dimensions: number | undefined;
  };
  knowledge: {
    maxBytes: number;
    fetchTimeoutMs: number;
    annThreshold: number;
  };
  chat: {
    provider: 'offline' | 'openai';
    url: string | undefined;
    model: string | undefined;
    apiKey: string | undefined;
  };
  outbound: 'log' | 'live';
  providers: { twilio: string; whatsapp: string; telegram: string; slack: string; smtp: string | undefined };
  /** Keys sealing secrets at rest (none: stored as given). */
  secrets: Keyring;
  /** Under the test runner: every JSON response is checked against its documented schema. */
  checkResponses: boolean;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once, at start-up. Nothing else in Frontdesk reads `process.env`.
 * Error messages name the variable and never echo its value (it may hold a password).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankToUndefined = Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]),
  );
  const parsed = envSchema.safeParse(blankToUndefined);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(e.FRONTDESK_DATA_DIR),
    snapshotDir: e.FRONTDESK_SNAPSHOT_DIR ? resolve(e.FRONTDESK_SNAPSHOT_DIR) : undefined,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.FRONTDESK_BODY_LIMIT,
    userPassword: e.FRONTDESK_USER_PASSWORD,
    publicUrl: e.FRONTDESK_PUBLIC_URL,
    workers: e.FRONTDESK_WORKERS,
    shutdownTimeoutMs: e.FRONTDESK_SHUTDOWN_TIMEOUT_MS,
    allowPrivateUrls: e.FRONTDESK_ALLOW_PRIVATE_URLS,
    embeddings: {
      provider: e.FRONTDESK_EMBEDDINGS,
      url: e.FRONTDESK_EMBEDDINGS_URL,
      model: e.FRONTDESK_EMBEDDINGS_MODEL,
      apiKey: e.FRONTDESK_EMBEDDINGS_API_KEY,
      dimensions: e.FRONTDESK_EMBEDDINGS_DIMENSIONS,
    },
    knowledge: {
      maxBytes: e.FRONTDESK_KB_MAX_BYTES,
      fetchTimeoutMs: e.FRONTDESK_KB_FETCH_TIMEOUT_MS,
      annThreshold: e.FRONTDESK_KB_ANN_THRESHOLD,
    },
    chat: {
      provider: e.FRONTDESK_CHAT,
      url: e.FRONTDESK_CHAT_URL,
      model: e.FRONTDESK_CHAT_MODEL,
      apiKey: e.FRONTDESK_CHAT_API_KEY,
    },
    outbound: e.FRONTDESK_OUTBOUND,
    providers: {
      twilio: e.FRONTDESK_TWILIO_API_URL,
      whatsapp: e.FRONTDESK_WHATSAPP_API_URL,
      telegram: e.FRONTDESK_TELEGRAM_API_URL,
      slack: e.FRONTDESK_SLACK_API_URL,
      smtp: e.FRONTDESK_SMTP_URL,
    },
    secrets: parseKeyring(e.FRONTDESK_SECRETS_KEYS),
    // Running under the test runner is a fact about the process, not a setting: read from the
    // process even when the caller passes an environment of its own (tests do).
    checkResponses:
      env.NODE_ENV === 'test' || process.env.NODE_ENV === 'test' || process.env.VITEST === 'true',
  };
}

/** A connection string with its password replaced, safe for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable DATABASE_URL>';
  }
}
