import { servedName, type UpstreamTarget } from '../../core/index.js';

/** A tool-name-safe form of an upstream's name, for the prefix that keeps composed upstreams apart. */
export function prefixOf(upstream: UpstreamTarget): string {
  return servedName(upstream.name, '', true);
}
