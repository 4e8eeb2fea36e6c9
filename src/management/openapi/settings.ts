/** Process-wide OpenAPI import settings; the server sets them from its config at start. */
export interface OpenApiImportSettings {
  /** Allow `url` imports and remote `$ref`s. */
  allowUrls: boolean;
  /** Allow fetches to loopback, private, link-local and cloud-metadata addresses. */
  allowPrivateNetworks: boolean;
  /** Largest document fetched, in bytes. */
  maxFetchBytes: number;
  fetchTimeoutMs: number;
}

const settings: OpenApiImportSettings = {
  allowUrls: false,
  allowPrivateNetworks: false,
  maxFetchBytes: 32 * 1_048_576,
  fetchTimeoutMs: 10_000,
};

/** The settings in force. */
export function openApiImportSettings(): Readonly<OpenApiImportSettings> {
  return settings;
}

/** Changes the settings (at start, or in tests). */
export function configureOpenApiImport(next: Partial<OpenApiImportSettings>): void {
  Object.assign(settings, next);
}
