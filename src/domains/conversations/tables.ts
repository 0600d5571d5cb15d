/** Conversations domain tables: threads (conversations, messages, comms_events) and workflow (approvals, escalations). */
export * from './threads.js';
export * from './workflow.js';
