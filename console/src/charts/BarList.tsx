import type { ReactNode } from 'react';
import { Link } from 'wouter';

export interface Bar {
  key: string;
  label: ReactNode;
  /** The full name on hover, where the label may be cut; defaults to the label when it is text. */
  title?: string;
  value: number;
  /** Shown after the value, e.g. an error rate. */
  note?: string;
  href?: string;
  tone?: 'ok' | 'warn' | 'bad';
}

/**
 * A horizontal bar chart as a list: readable without the picture, every bar a link to its calls.
 * Each bar has the row's whole width under its label and numbers, so the largest is full width and
 * a long note never squeezes the bar or the name.
 */
export function BarList({ title, bars, empty = 'No calls in this range.', note }: { title: string; bars: Bar[]; empty?: string; note?: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {bars.length === 0 ? <p className="muted">{empty}</p> : null}
      {note ? <p className="muted small">{note}</p> : null}
      <ul className="bars">
        {bars.map((b) => {
          const body = (
            <>
              <span className="bar-head">
                <span className="bar-label" title={b.title ?? (typeof b.label === 'string' ? b.label : undefined)}>
                  {b.label}
                </span>
                <span className="bar-value">
                  {b.value.toLocaleString()}
                  {b.note ? ` · ${b.note}` : ''}
                </span>
              </span>
              <span className="bar-track">
                <span className={`bar ${b.tone ?? 'ok'}`} style={{ width: `${(b.value / max) * 100}%` }} />
              </span>
            </>
          );
          return <li key={b.key}>{b.href ? <Link href={b.href}>{body}</Link> : <span>{body}</span>}</li>;
        })}
      </ul>
    </figure>
  );
}
