import { openApiDocument } from '../../api/index.js';
import type { Command } from '../command.js';

export const openapiCommand: Command = {
  async run() {
    process.stdout.write(`${JSON.stringify(openApiDocument(), null, 2)}\n`);
    return 0;
  },
};
