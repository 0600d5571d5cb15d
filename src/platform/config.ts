import { resolve } from 'node:path';
import { z } from 'zod';

/** Levels pino understands, plus `silent`. */
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

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
});

export type Config = {
  /** Server connection string; absent means the embedded PGlite engine. */
  databaseUrl: string | undefined;
  /** Folder of the embedded database and other local state. Absolute. */
  dataDir: string;
  port: number;
  host: string;
  logLevel: (typeof logLevels)[number];
  /** Largest request body accepted, in bytes (413 above). */
  bodyLimitBytes: number;
  /** Password for `frontdesk users create` (else read from stdin). Never logged. */
  userPassword: string | undefined;
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
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.FRONTDESK_BODY_LIMIT,
    userPassword: e.FRONTDESK_USER_PASSWORD,
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
