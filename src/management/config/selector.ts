import { GatehouseError } from '../../core/index.js';
import { type ConfigItem, globMatch } from './items.js';
import type { ConfigKind } from './kinds.js';

/** Which items a plan, apply or export may touch; absent means everything. */
export type Scope = (item: Pick<ConfigItem, 'root'>) => boolean;

/**
 * Parses `collections=payments,policies=std-*,clients`: each term names a top-level section,
 * optionally with a name (`*` matches anything). An item is in scope when the top-level item it
 * lives in matches a term, so a collection's proxies and endpoints come with it.
 */
export function parseSelector(kinds: readonly ConfigKind[], text: string | undefined): Scope {
  if (text === undefined || text.trim() === '') return () => true;
  const sections = new Set(kinds.filter((k) => !k.parent).map((k) => k.section));
  const terms = text.split(',').map((term) => {
    const [section = '', name, extra] = term.trim().split('=');
    if (!sections.has(section) || extra !== undefined || name === '') {
      throw new GatehouseError(
        'GATEHOUSE_VALIDATION_FAILED',
        `Invalid selector term "${term.trim()}": use SECTION or SECTION=NAME, SECTION one of ${[...sections].join(', ')}.`,
        [{ path: 'selector', message: `invalid term ${term.trim()}` }],
      );
    }
    return { section, name };
  });
  return (item) => terms.some((t) => t.section === item.root.section && (t.name === undefined || globMatch(t.name, item.root.name)));
}
