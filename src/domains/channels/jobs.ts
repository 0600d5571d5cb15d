/** The channels domain's jobs: inbound event processing and sweeping, outbound delivery. */
import { deliveryJobs } from './deliver.js';
import { inboundJobs } from './inbound.js';

export const channelJobs = [...inboundJobs, ...deliveryJobs];
