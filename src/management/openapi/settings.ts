/** OpenAPI import settings; each registry is built with its own (no process-wide state). */
export interface OpenApiImportSettings {
  /** Allow `url` imports and remote `$ref`s. */
  allowUrls: boolean;
  /** Allow fetches to loopback, private, link-local and cloud-metadata addresses. */
  allowPrivateNetworks: boolean;
  /** Largest document fetched, in bytes. */
  maxFetchBytes: number;
  fetchTimeoutMs: number;
}

/** The safe defaults: no fetching at all. */
export const DEFAULT_OPENAPI_IMPORT_SETTINGS: Readonly<OpenApiImportSettings> = {
  allowUrls: false,
  allowPrivateNetworks: false,
  maxFetchBytes: 32 * 1_048_576,
  fetchTimeoutMs: 10_000,
};
