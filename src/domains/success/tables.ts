/** Customer-success module tables (seed 002): contracts, meetings, insights, training. */
export * from './engagement.js';
export * from './training.js';
