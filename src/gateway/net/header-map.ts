/** Request headers as node:http gives them: lower-case names. */
export type HeaderMap = Record<string, string | string[] | undefined>;

/** Response or upstream-request headers the gateway builds. */
export type OutgoingHeaders = Record<string, string | string[]>;

/** One header's value; the first when repeated. */
export function headerValue(headers: HeaderMap, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
