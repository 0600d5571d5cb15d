/**
 * What `frontdesk start` needs beyond the database: the application, its jobs and the HTTP
 * server, a few hundred modules. start.ts imports them from here, by one dynamic import issued
 * before it opens the database, so that they load while PGlite starts (see start.ts).
 */
export { createApp } from '../../app.js';
export { sweepInboundEvents } from '../../domains/channels/inbound.js';
export { messageHub } from '../../domains/channels/widget-stream.js';
export { REQUEUE_JOB } from '../../domains/knowledge/jobs.js';
export { recoverWebhookDeliveries } from '../../domains/ops/webhook-delivery.js';
export { createJobs } from '../../jobs.js';
export { listen } from '../../server.js';
export { readyDatabase } from '../first-start.js';
