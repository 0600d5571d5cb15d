/** The ops domain's background jobs: outbound webhook delivery. */
import { webhookJobs } from './webhook-delivery.js';

export const opsJobs = [...webhookJobs];
