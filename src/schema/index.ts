/** Every table of Frontdesk, for Drizzle and drizzle-kit. Each domain owns its own `tables.ts`. */
export * from '../domains/ai/responder/tables.js';
export * from '../domains/ai/tables.js';
export * from '../domains/analytics/tables.js';
export * from '../domains/channels/tables.js';
export * from '../domains/coaching/tables.js';
export * from '../domains/content/tables.js';
export * from '../domains/conversations/tables.js';
export * from '../domains/crm/tables.js';
export * from '../domains/hospitality/schedule-tables.js';
export * from '../domains/hospitality/tables.js';
export * from '../domains/identity/tables.js';
export * from '../domains/knowledge/tables.js';
export * from '../domains/ops/tables.js';
export * from '../domains/plans/tables.js';
export * from '../domains/success/tables.js';
export * from '../platform/http/tables.js';
export * from './tenants.js';
