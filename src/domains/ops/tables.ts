/** Ops domain tables: webhooks in and out, and the records kept about requests (audit, usage, idempotency). */
export * from './records.js';
export * from './webhooks.js';
