/**
 * The one `z` of Frontdesk: zod with `.openapi()` (@hono/zod-openapi applies the extension when
 * loaded). Every schema imports it from here, so a schema can always document itself.
 */
export { z } from '@hono/zod-openapi';
