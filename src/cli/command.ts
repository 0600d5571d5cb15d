import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';

export interface CommandContext {
  config: Config;
  logger: Logger;
}

export interface Command {
  /** Printed by `frontdesk <command> --help` (no configuration read, no database opened). */
  usage?: string;
  /** Returns the exit code. */
  run(args: string[], ctx: CommandContext): Promise<number>;
}
