/** POST /auth/logout: ends the session whose token authenticated the request. */
import { AppError } from '../../../platform/errors.js';
import { operation } from '../../../platform/http/operation.js';
import { logout } from '../sessions.js';

export const logoutOperation = operation({
  method: 'post',
  path: '/auth/logout',
  scope: 'tenant',
  role: 'viewer',
  collection: true,
  tag: 'Identity',
  operationId: 'logout',
  summary: 'End the current session',
  responses: { 204: { description: 'Logged out' } },
  // The session is a platform row: logout() writes it with its own connection.
  transaction: false,
  handler: async ({ c, principal, platform }) => {
    const token = c.req.header('authorization')!.replace(/^Bearer\s+/i, '');
    if (principal.actor.type !== 'user') throw new AppError('bad_request', 'only a session can log out');
    await logout(platform.db, token);
  },
});
