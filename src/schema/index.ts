/** Every table of Frontdesk, for Drizzle and drizzle-kit. Each domain owns its own `tables.ts`. */
export * from '../domains/identity/tables.js';
export * from '../domains/tenancy/tables.js';
