export type { Database } from '../../src/platform/db/database.js';
export { uuidv7 } from '../../src/schema/columns.js';
