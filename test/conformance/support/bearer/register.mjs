// Loaded with `node --import` into the conformance suite's process: the suite's server command has
// no way to send a credential, so every request it makes to GATEHOUSE_CONFORMANCE_ORIGIN carries
// `Authorization: Bearer $GATEHOUSE_CONFORMANCE_BEARER`, as an MCP client holding a token would
// send it. It wraps undici's global dispatcher, which the suite's raw requests (undici `request`)
// and the SDK client's `fetch` go through, and `http.request`, which its header-validation
// scenarios use; nothing else about a request is changed.
import http from 'node:http';
import { Agent, setGlobalDispatcher } from 'undici';

const token = process.env.GATEHOUSE_CONFORMANCE_BEARER;
const origin = process.env.GATEHOUSE_CONFORMANCE_ORIGIN;

/** The request's headers with the token added (undici hands them over as an object, a flat list or pairs). */
function withBearer(headers) {
  const value = `Bearer ${token}`;
  if (headers == null) return { authorization: value };
  if (Array.isArray(headers)) {
    if (headers.length === 0 || typeof headers[0] === 'string' || Buffer.isBuffer(headers[0])) {
      for (let i = 0; i < headers.length; i += 2) if (String(headers[i]).toLowerCase() === 'authorization') return headers;
      return [...headers, 'authorization', value];
    }
    if (headers.some(([k]) => String(k).toLowerCase() === 'authorization')) return headers;
    return [...headers, ['authorization', value]];
  }
  if (typeof headers[Symbol.iterator] === 'function') return withBearer([...headers]);
  if (Object.keys(headers).some((k) => k.toLowerCase() === 'authorization')) return headers;
  return { ...headers, authorization: value };
}

if (token && origin) {
  const addBearer = (dispatch) => (opts, handler) =>
    String(opts.origin).replace(/\/$/, '') === origin ? dispatch({ ...opts, headers: withBearer(opts.headers) }, handler) : dispatch(opts, handler);
  setGlobalDispatcher(new Agent().compose(addBearer));

  const { hostname, port } = new URL(origin);
  const request = http.request;
  // The form the suite calls: `http.request({ hostname, port, path, method, headers }, callback)`.
  http.request = (options, ...rest) => {
    const ours = options && typeof options === 'object' && !(options instanceof URL) && options.hostname === hostname && String(options.port) === port;
    return request.call(http, ours ? { ...options, headers: withBearer(options.headers) } : options, ...rest);
  };
}
