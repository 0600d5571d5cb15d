/**
 * One error vocabulary for all of Frontdesk: a closed set of codes, each with its HTTP status,
 * its RFC 9457 problem `type` and title. Domain code throws `AppError`; the HTTP layer turns it
 * into a problem document. The `type` of a code never changes once published.
 */
export const ERRORS = {
  bad_request: { status: 400, title: 'Bad request' },
  unauthorized: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Not allowed' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  gone: { status: 410, title: 'Gone' },
  precondition_failed: { status: 412, title: 'Precondition failed' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  validation_failed: { status: 422, title: 'Validation failed' },
  /** The chat widget asks for the visitor's email before a conversation opens (pre-chat form). */
  email_required: { status: 422, title: 'Email required' },
  quota_exceeded: { status: 403, title: 'Plan limit reached' },
  tenant_suspended: { status: 403, title: 'Tenant suspended' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  not_ready: { status: 503, title: 'Service not ready' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** The problem `type` URI of a code: a page this server serves (GET /problems/:code). */
export const problemType = (code: ErrorCode): string => `/problems/${code.replaceAll('_', '-')}`;

export interface FieldError {
  /** JSON pointer-ish path of the offending field, e.g. `brandConfig.colors.primary`. */
  path: string;
  message: string;
}

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string = ERRORS[code].title,
    readonly extras: {
      errors?: FieldError[];
      headers?: Record<string, string>;
      /** Extension members of the problem document (e.g. a quota's limit, use and plan). */
      members?: Record<string, unknown>;
    } = {},
  ) {
    super(message);
  }
}
