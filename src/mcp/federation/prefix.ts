import type { UpstreamTarget } from '../../core/index.js';

/** A tool-name-safe form of an upstream's name, for the prefix that keeps composed upstreams apart. */
export function prefixOf(upstream: UpstreamTarget): string {
  return `${upstream.name.toLowerCase().replace(/[^a-z0-9_-]+/g, '_')}__`;
}
