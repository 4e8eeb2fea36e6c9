/** OpenAPI import settings; each registry is built with its own (no process-wide state). */
export interface OpenApiImportSettings {
  /** Allow `url` imports and remote `$ref`s. */
  allowUrls: boolean;
  /** Allow fetches to loopback, private, link-local and cloud-metadata addresses. */
  allowPrivateNetworks: boolean;
  /** Largest document, in bytes: uploaded (the import's request body limit) or fetched (also each remote `$ref` document). */
  maxDocumentBytes: number;
  /** Most operations one document may have; more is refused as a whole. */
  maxOperations: number;
  fetchTimeoutMs: number;
}

/** The safe defaults: no fetching at all. */
export const DEFAULT_OPENAPI_IMPORT_SETTINGS: Readonly<OpenApiImportSettings> = {
  allowUrls: false,
  allowPrivateNetworks: false,
  maxDocumentBytes: 32 * 1_048_576,
  maxOperations: 5_000,
  fetchTimeoutMs: 10_000,
};
