import { defineConfig } from 'drizzle-kit';

// Used only by `npm run db:generate` (drizzle-kit) to write SQL migrations from src/schema.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './migrations',
  casing: undefined,
});
