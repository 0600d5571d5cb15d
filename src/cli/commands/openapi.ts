import { createApi } from '../../api/index.js';
import type { Database } from '../../platform/db/database.js';
import type { Command } from '../command.js';

/** The document needs no database: any attempt to use one here is a bug, and says so. */
const noDatabase = new Proxy({} as Database, {
  get(_t, prop) {
    throw new Error(`the OpenAPI document was built without a database (touched ${String(prop)})`);
  },
});

export const openapiCommand: Command = {
  async run() {
    process.stdout.write(`${JSON.stringify(createApi(noDatabase).document(), null, 2)}\n`);
    return 0;
  },
};
