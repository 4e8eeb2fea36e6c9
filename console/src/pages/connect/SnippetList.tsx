import { CopyButton } from '../../ui/CopyButton';
import type { Snippet } from './snippets';

/** Ready-to-paste configurations, each in its own labelled region with a copy button. */
export function SnippetList({ items }: { items: Snippet[] }) {
  return (
    <div className="snippets">
      {items.map((s) => (
        <section key={s.app} aria-label={s.app}>
          <h3>{s.app}</h3>
          <p className="muted">{s.where}</p>
          <pre>{s.text}</pre>
          <CopyButton value={s.text} label={`Copy ${s.app} configuration`} />
        </section>
      ))}
    </div>
  );
}
