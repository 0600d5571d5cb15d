/**
 * Value lists shared with other domains' tables (agents list escalation categories), kept free
 * of table imports so that importing them creates no cycle.
 */
export const ESCALATION_TYPES = [
  'tension',
  'sla_breach',
  'churn_risk',
  'emergency',
  'refund',
  'complaint',
  'booking_change',
  /** A plan limit stopped something (the monthly token budget stopped the AI responder). */
  'usage_limit',
  'other',
] as const;
