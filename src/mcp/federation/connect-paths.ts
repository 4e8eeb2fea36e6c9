/** The paths the connect handler serves: apart from it, so the node names them without loading the handler. */
export const CONNECT_PATH = '/mcp/connect';
export const CLIENT_METADATA_PATH = '/mcp/oauth-client.json';
