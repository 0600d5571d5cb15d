/**
 * Tenants over HTTP, one operation per file: your own tenant (read; the owner updates it),
 * public branding lookups by slug and domain, and the platform admin's tenant list and creation.
 */
import type { AnyOperation } from '../../../platform/http/operation.js';
import { createTenantOperation } from './create-tenant.js';
import { getTenantOperation } from './get-tenant.js';
import { listTenantsOperation } from './list-tenants.js';
import { tenantByDomainOperation, tenantBySlugOperation } from './tenant-branding.js';
import { updateTenantOperation } from './update-tenant.js';

export { requirePlatformAdmin } from './kit.js';

export const tenancyOperations: readonly AnyOperation[] = [
  getTenantOperation,
  updateTenantOperation,
  tenantBySlugOperation,
  tenantByDomainOperation,
  listTenantsOperation,
  createTenantOperation,
];
