import { type Logger, pino } from 'pino';

export type { Logger };

/** Structured JSON logs. Secrets never reach a log line: the paths below are redacted wherever they appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'frontdesk' },
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'secret',
          '*.secret',
          'apiKey',
          '*.apiKey',
          'req.headers.authorization',
          'req.headers.cookie',
          'databaseUrl',
          '*.databaseUrl',
          'userPassword',
          '*.userPassword',
          // Channel credentials (channels.secrets and the names providers give them).
          'secrets',
          '*.secrets',
          '*.*.secrets',
          '*.authToken',
          '*.sharedKeySecret',
          '*.botToken',
          '*.accessToken',
          '*.appSecret',
          '*.signingSecret',
          '*.signingKey',
          '*.webhookSecret',
          '*.verifyToken',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
