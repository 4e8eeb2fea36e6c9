/** Where the admin API lives on the admin listener; the CLI and the console build their URLs from it. */
export const ADMIN_API_PREFIX = '/admin/api/v1';
