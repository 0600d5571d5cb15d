/** The logged-in session (token and chosen tenant), kept in sessionStorage, and the typed API client. */
import { createFrontdeskClient } from '../../client/index.js';

export interface Session {
  token: string;
  tenants: { id: string; slug: string; name: string; role: 'owner' | 'admin' | 'agent' | 'viewer' }[];
  /** The tenant acted in; empty for a platform admin who is a member of no tenant. */
  tenantId: string;
  /** The user operates the installation (the login's `platformAdmin`): the console adds its pages. */
  platformAdmin?: boolean;
  /** The email logged in with (the platform pages have no tenant's `/v1/me` to ask). */
  email?: string;
}
const KEY = 'frontdesk-console';

export function readSession(): Session | null {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
  } catch {
    return null;
  }
}
export function writeSession(s: Session | null): void {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}

/** The typed client (client/), authenticated as the session in its chosen tenant. */
export function clientFor(s: Session | null) {
  return createFrontdeskClient({
    baseUrl: location.origin,
    ...(s ? { token: s.token, headers: { 'frontdesk-tenant': s.tenantId } } : {}),
  });
}
export type Client = ReturnType<typeof clientFor>;

/** The typed client as the platform admin: the session token and no tenant (`/v1/platform/…`). */
export function platformClientFor(s: Session): Client {
  return createFrontdeskClient({ baseUrl: location.origin, token: s.token });
}

/** An API error (a problem document) as a thrown value. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: {
      title?: string;
      detail?: string;
      type?: string;
      errors?: { path?: string; message?: string }[];
    },
  ) {
    // A validation problem names its fields: say which, and why.
    const fields = (problem.errors ?? []).map((e) => `${e.path ? `${e.path}: ` : ''}${e.message ?? ''}`);
    super([problem.detail ?? problem.title ?? `HTTP ${status}`, ...fields].join('; '));
  }
}

/** Unwraps an openapi-fetch result: the data, or an ApiError. */
export async function ok<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await p;
  if (!response.ok) throw new ApiError(response.status, (error ?? {}) as ApiError['problem']);
  return data as T;
}
