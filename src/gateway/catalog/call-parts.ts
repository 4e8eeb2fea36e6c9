// Shapes shared by the contract checks and the body encoders (a file of their own, so neither imports the other).

/** One precise problem with the arguments, by field path like `params.query.limit`. */
export interface ArgumentIssue {
  path: string;
  message: string;
}

/** The execute_call request parts, validated and normalized. */
export interface CallParts {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  cookies: Record<string, unknown>;
  body: unknown;
  hasBody: boolean;
}
