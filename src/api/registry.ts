/** What the API tests and docs need to know about every resource: its spec, by name. */
import type { ResourceSpec } from './resource.js';

export const resourceSpecs = new Map<string, ResourceSpec>();
