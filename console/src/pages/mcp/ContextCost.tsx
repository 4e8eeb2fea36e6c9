import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui/ErrorBox';

/** How many of the costliest tool definitions are shown: where a shorter description saves most. */
const TOP = 10;

/**
 * What the server's tool listing costs a model, in o200k_base tokens, against its context budget
 * (over it, clients get search mode: three tools instead of every one).
 */
export function ContextCost({ id }: { id: string }) {
  const view = useQuery({ queryKey: ['virtual-mcp-context', id], queryFn: () => unwrap(api.GET('/virtual-mcps/{id}/context', { params: { path: { id } } })) });
  const c = view.data;
  return (
    <section aria-label="Context cost">
      <h2>Context cost</h2>
      <ErrorBox error={view.error} />
      {c ? (
        <>
          <p data-testid="context-cost">
            Tool listing: <strong>{c.listingTokens.toLocaleString()}</strong> tokens ({c.tokenizer}) ·{' '}
            {c.contextBudget === null ? (
              <span className="muted">no budget</span>
            ) : c.searchMode ? (
              <span className="warn">
                over its budget of {c.contextBudget.toLocaleString()}: clients get search mode ({c.searchModeListingTokens.toLocaleString()} tokens)
              </span>
            ) : (
              <span className="ok">within its budget of {c.contextBudget.toLocaleString()}</span>
            )}
            {c.maxResultTokens !== null ? ` · results cut at ${c.maxResultTokens.toLocaleString()} tokens` : ''}
          </p>
          {c.tools.length > 0 ? (
            <details>
              <summary>Costliest definitions</summary>
              <ul>
                {c.tools.slice(0, TOP).map((t) => (
                  <li key={t.name}>
                    <code>{t.name}</code>: {t.tokens.toLocaleString()} tokens
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
