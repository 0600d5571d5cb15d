/**
 * The `frontdesk` command. Each subcommand lives in ./commands; this file only dispatches.
 * Exit codes: 0 done, 1 failed while running, 2 bad configuration or usage.
 */
import { loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import type { Command } from './command.js';

/** Loaded on demand, so `frontdesk --help` or a configuration error answers without loading the rest. */
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  start: {
    summary: 'migrate the database and serve the HTTP API',
    load: async () => (await import('./commands/start.js')).start,
  },
  migrate: {
    summary: 'apply pending database migrations',
    load: async () => (await import('./commands/migrate.js')).migrateCommand,
  },
  tenants: {
    summary: 'list or create tenants (platform work)',
    load: async () => (await import('./commands/tenants.js')).tenantsCommand,
  },
  keys: {
    summary: "create, list or revoke a tenant's API keys",
    load: async () => (await import('./commands/keys.js')).keysCommand,
  },
  users: {
    summary: 'create a user (optionally a member of a tenant, or a platform admin)',
    load: async () => (await import('./commands/users.js')).usersCommand,
  },
  openapi: {
    summary: 'print the OpenAPI 3.1 document of the REST API',
    load: async () => (await import('./commands/openapi.js')).openapiCommand,
  },
  seed: {
    summary: 'load demo data (--demo): one tenant per seed system, plans, templates, users',
    load: async () => (await import('./commands/seed.js')).seedCommand,
  },
  kb: {
    summary: "ingest a file or URL into a tenant's knowledge base, or search it",
    load: async () => (await import('./commands/kb.js')).kbCommand,
  },
  secrets: {
    summary: 'rotate: seal every stored secret with the current key (FRONTDESK_SECRETS_KEYS)',
    load: async () => (await import('./commands/secrets.js')).secretsCommand,
  },
  doctor: {
    summary: 'check the database: engine, pgvector, migrations, row level security',
    load: async () => (await import('./commands/doctor.js')).doctor,
  },
};

/** Errors whose message is the whole story: printed without a stack, exit code 2. */
const USER_ERRORS = new Set([
  'ConfigError',
  'StartupError',
  'ListenError',
  'DataDirLockedError',
  'MigrationError',
]);

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `Usage: frontdesk <command> [options]\n\nCommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const entry = commands[name];
  if (!entry) {
    process.stderr.write(`frontdesk: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  // Help needs neither the configuration nor the database.
  if (rest.includes('--help') || rest.includes('-h')) {
    const command = await entry.load();
    process.stdout.write(command.usage ?? `Usage: frontdesk ${name}\n\n${entry.summary}\n`);
    return 0;
  }
  try {
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const command = await entry.load();
    return await command.run(rest, { config, logger });
  } catch (error) {
    if (error instanceof Error && USER_ERRORS.has(error.name)) {
      process.stderr.write(`frontdesk: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`frontdesk: ${(error as Error).stack ?? error}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
