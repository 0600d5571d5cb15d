/**
 * The identity domain's operations, one per file, in registration order: logging in and out, API
 * keys, members, invitations (creating one, then accepting: `/invitations/accept`), and `/me`.
 */
import type { AnyOperation } from '../../../platform/http/operation.js';
import { resourceOperations } from '../../../platform/http/resource.js';
import { acceptInvitationOperation } from './accept-invitation.js';
import { createApiKeyOperation } from './create-api-key.js';
import { createInvitationOperation } from './create-invitation.js';
import { getMeOperation } from './get-me.js';
import { loginOperation } from './login.js';
import { logoutOperation } from './logout.js';
import { apiKeyResource, invitationResource, memberResource } from './resources.js';

export const identityOperations: readonly AnyOperation[] = [
  loginOperation,
  logoutOperation,
  ...resourceOperations(apiKeyResource),
  createApiKeyOperation,
  ...resourceOperations(memberResource),
  ...resourceOperations(invitationResource),
  createInvitationOperation,
  acceptInvitationOperation,
  getMeOperation,
];
