/** The one registry of stable error codes: every error a caller sees carries one of these. */
export const ERRORS = {
  GATEHOUSE_BAD_REQUEST: { status: 400, message: 'The request is malformed.' },
  GATEHOUSE_URI_TOO_LONG: { status: 414, message: 'A path segment is longer than the gateway accepts.' },
  GATEHOUSE_INVALID_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  GATEHOUSE_JSON_TOO_DEEP: { status: 400, message: 'The JSON body nests deeper than the gateway accepts (128 levels).' },
  GATEHOUSE_VALIDATION_FAILED: { status: 400, message: 'The input does not match the schema.' },
  GATEHOUSE_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json.' },
  GATEHOUSE_BODY_TOO_LARGE: { status: 413, message: 'The request body is larger than allowed.' },
  GATEHOUSE_HEADERS_TOO_LARGE: { status: 431, message: 'The request head is larger than the gateway accepts.' },
  GATEHOUSE_REQUEST_TIMEOUT: { status: 408, message: 'The request did not arrive in time.' },
  GATEHOUSE_UNAUTHENTICATED: { status: 401, message: 'A valid bearer token is required.' },
  GATEHOUSE_INVALID_TOKEN: { status: 401, message: 'The bearer token is invalid, expired, or not for this resource.' },
  GATEHOUSE_FORBIDDEN: { status: 403, message: 'Your role does not allow this operation.' },
  GATEHOUSE_NOT_FOUND: { status: 404, message: 'The resource does not exist.' },
  GATEHOUSE_ROUTE_NOT_FOUND: { status: 404, message: 'No route matches this path.' },
  GATEHOUSE_METHOD_NOT_ALLOWED: { status: 405, message: 'The method is not allowed on this path.' },
  GATEHOUSE_CONFLICT: { status: 409, message: 'A resource with the same unique value already exists.' },
  GATEHOUSE_REFERENCE_NOT_FOUND: { status: 422, message: 'The input refers to a resource that does not exist.' },
  GATEHOUSE_IN_USE: { status: 409, message: 'The resource is still referenced by others.' },
  GATEHOUSE_RESERVED_PATH: { status: 422, message: 'The base path is reserved by the gateway.' },
  GATEHOUSE_INVALID_STATE: { status: 409, message: 'The operation is not valid in the resource’s current state.' },
  GATEHOUSE_CREDENTIAL_MISSING: { status: 401, message: 'A credential is required for this API.' },
  GATEHOUSE_CREDENTIAL_INVALID: { status: 401, message: 'The credential is not valid.' },
  GATEHOUSE_CREDENTIAL_EXPIRED: { status: 401, message: 'The credential has expired.' },
  GATEHOUSE_CLIENT_MISMATCH: { status: 401, message: 'X-Client-ID or X-Profile-ID does not match the credential.' },
  GATEHOUSE_CLIENT_SUSPENDED: { status: 403, message: 'The client is not active.' },
  GATEHOUSE_COLLECTION_NOT_GRANTED: { status: 403, message: 'The client is not granted this collection.' },
  GATEHOUSE_METHOD_DENIED: { status: 403, message: 'The profile does not allow this method.' },
  GATEHOUSE_IP_DENIED: { status: 403, message: 'The caller IP is not in the profile’s allowlist.' },
  GATEHOUSE_RATE_LIMITED: { status: 429, message: 'Rate limit exceeded.' },
  GATEHOUSE_QUOTA_EXCEEDED: { status: 429, message: 'Quota exhausted for this period.' },
  GATEHOUSE_LIMITER_UNAVAILABLE: { status: 503, message: 'The rate limiter is unavailable.' },
  GATEHOUSE_UPSTREAM_UNREACHABLE: { status: 502, message: 'The upstream could not be reached.' },
  GATEHOUSE_UPSTREAM_TIMEOUT: { status: 504, message: 'The upstream did not answer in time.' },
  GATEHOUSE_UPSTREAM_TLS_FAILED: {
    status: 502,
    message: 'The TLS handshake with the upstream failed (its certificate is not trusted, or it refused the gateway’s client certificate).',
  },
  GATEHOUSE_BACKEND_TOKEN_FAILED: { status: 502, message: 'The gateway could not obtain an access token for the upstream from its token endpoint.' },
  GATEHOUSE_BACKEND_CREDENTIAL_UNAVAILABLE: { status: 503, message: 'The backend credential this API uses is not available on the gateway.' },
  GATEHOUSE_CLIENT_CERTIFICATE_REQUIRED: { status: 401, message: 'A client certificate is required for this API.' },
  GATEHOUSE_CLIENT_CERTIFICATE_INVALID: { status: 401, message: 'The client certificate is not trusted, unknown or expired.' },
  GATEHOUSE_CALL_CANCELLED: { status: 499, message: 'The call was cancelled before it finished.' },
  GATEHOUSE_STORE_UNAVAILABLE: {
    status: 503,
    message: 'The configuration store cannot be reached; changes are refused until it is back (traffic keeps flowing on the last configuration).',
  },
  GATEHOUSE_NOT_READY: { status: 503, message: 'The gateway is not ready.' },
  GATEHOUSE_OPENAPI_INVALID: { status: 422, message: 'The OpenAPI document is not valid.' },
  GATEHOUSE_OPENAPI_NOTHING_TO_IMPORT: { status: 422, message: 'The OpenAPI document has no operation the gateway can import.' },
  GATEHOUSE_OPENAPI_FETCH_REFUSED: { status: 422, message: 'Fetching this URL is not allowed.' },
  GATEHOUSE_OPENAPI_FETCH_FAILED: { status: 422, message: 'The OpenAPI document could not be fetched.' },
  GATEHOUSE_MCP_ORIGIN_DENIED: { status: 403, message: 'The request Origin or Host is not allowed.' },
  GATEHOUSE_MCP_INVALID_ARGUMENTS: { status: 400, message: 'The tool arguments do not match the contract.' },
  GATEHOUSE_MCP_UNKNOWN_COLLECTION: { status: 404, message: 'No such collection in your catalog.' },
  GATEHOUSE_MCP_UNKNOWN_ENDPOINT: { status: 404, message: 'No such endpoint in your catalog.' },
  GATEHOUSE_MCP_CONNECT_REQUIRED: { status: 401, message: 'This tool acts as you at its upstream server; connect your account there first.' },
  GATEHOUSE_MCP_CONNECT_FAILED: { status: 502, message: 'Connecting your account at the upstream MCP server failed.' },
  GATEHOUSE_MCP_STDIO_DISABLED: {
    status: 422,
    message: 'stdio upstream MCP servers are off on this gateway (set GATEHOUSE_FEDERATION_STDIO=on to allow them).',
  },
  GATEHOUSE_MCP_UPSTREAM_PRIVATE: {
    status: 502,
    message:
      'The upstream MCP server is at a loopback, private or link-local address, which this gateway calls only when GATEHOUSE_MCP_ALLOW_PRIVATE_UPSTREAMS=true (on under serve --demo) or an admin sets the server’s allowPrivateNetwork.',
  },
  GATEHOUSE_MCP_UPSTREAM_ERROR: { status: 502, message: 'The upstream answered with an error status.' },
  GATEHOUSE_UPSTREAM_TOOL_ERROR: {
    status: 502,
    message:
      'The upstream tool reported a failure (an `isError` result). The caller gets the result as the upstream gave it; the request log and MCP analytics count the call as failed at the upstream.',
  },
  GATEHOUSE_WORKFLOW_INVALID: { status: 400, message: 'The workflow is not valid.' },
  GATEHOUSE_REQUEST_INVALID: { status: 400, message: 'The request does not match the endpoint contract.' },
  GATEHOUSE_CLAIMS_REQUIRED: { status: 403, message: 'The credential lacks claims this API requires.' },
  GATEHOUSE_WORKFLOW_BODY_TOO_LARGE: { status: 413, message: 'The body is larger than the workflow buffers.' },
  GATEHOUSE_WORKFLOW_RESPONSE_TOO_LARGE: { status: 502, message: 'The upstream response is larger than the workflow buffers.' },
  GATEHOUSE_BODY_UNDECODABLE: {
    status: 415,
    message: 'The body cannot be decoded for the guardrails to read (an unknown or mismatched charset, or a content encoding the gateway does not decode).',
  },
  GATEHOUSE_UPSTREAM_BODY_UNDECODABLE: {
    status: 502,
    message:
      'The upstream response cannot be decoded for the guardrails to read (an unknown or mismatched charset, or a content encoding the gateway does not decode).',
  },
  GATEHOUSE_UPSTREAM_JSON_TOO_DEEP: { status: 502, message: 'The upstream response nests deeper than the gateway reads (128 levels).' },
  GATEHOUSE_WORKFLOW_CONDITION_FAILED: { status: 500, message: 'A workflow condition could not be evaluated.' },
  GATEHOUSE_WORKFLOW_TRANSFORM_FAILED: { status: 500, message: 'A workflow transform failed.' },
  GATEHOUSE_WORKFLOW_NODE_FAILED: { status: 500, message: 'A workflow node failed.' },
  GATEHOUSE_WORKFLOW_BUDGET_EXCEEDED: {
    status: 422,
    message: 'The call needs more work than the workflow’s budget allows (CEL steps or time, JSONata time or size, template output).',
  },
  GATEHOUSE_MCP_TOOL_CHANGED: {
    status: 409,
    message: 'The upstream changed this tool’s definition since it was approved; an admin must approve the new definition.',
  },
  GATEHOUSE_MCP_TOOL_UNAPPROVED: { status: 409, message: 'This tool’s definition has not been approved yet.' },
  GATEHOUSE_GUARDRAIL_BLOCKED: {
    status: 422,
    message: 'A guardrail refused the call: the body holds PII, secrets or injected instructions this API does not let through.',
  },
  GATEHOUSE_GUARDRAIL_UNAVAILABLE: { status: 503, message: 'A guardrail could not check the call (its classifier failed or was late), and it fails closed.' },
  GATEHOUSE_POLICY_DENIED: { status: 403, message: 'A tool policy refuses this call.' },
  GATEHOUSE_APPROVAL_REQUIRED: { status: 403, message: 'This call needs a person’s approval first; retry it with the same arguments once it is approved.' },
  GATEHOUSE_APPROVAL_DENIED: { status: 403, message: 'An approver denied this call.' },
  GATEHOUSE_APPROVAL_TOO_LARGE: { status: 413, message: 'This call needs approval but is too large for an approver to see in full, so it cannot be approved.' },
  GATEHOUSE_JOB_ABANDONED: {
    status: 500,
    message:
      'The node running this job stopped before recording its end. Its change is one transaction, committed whole or not at all (after a crash, not at all): plan shows which; applying again is safe.',
  },
  GATEHOUSE_INTERNAL: { status: 500, message: 'An internal error occurred.' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** A failure with a stable code; adapters turn it into JSON, an MCP tool error, or a CLI exit. */
export class GatehouseError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  /** Response headers the refusal goes with (a limit's RateLimit-* and Retry-After), sent by every channel: HTTP headers, or `headers` in a tool error. */
  readonly headers?: Readonly<Record<string, string>>;
  constructor(code: ErrorCode, message?: string, details?: unknown, headers?: Readonly<Record<string, string>>) {
    super(message ?? ERRORS[code].message);
    this.name = 'GatehouseError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
    if (headers !== undefined) this.headers = headers;
  }
}

/** The JSON body every error response has. */
export function errorBody(
  err: GatehouseError,
  requestId: string,
): {
  error: { code: ErrorCode; message: string; requestId: string; details?: unknown };
} {
  return {
    error: {
      code: err.code,
      message: err.message,
      requestId,
      ...(err.details === undefined ? {} : { details: err.details }),
    },
  };
}
