import type { ReactNode } from 'react';
import { Link } from 'wouter';

export interface Bar {
  key: string;
  label: ReactNode;
  value: number;
  /** Shown after the value, e.g. an error rate. */
  note?: string;
  href?: string;
  tone?: 'ok' | 'warn' | 'bad';
}

/** A horizontal bar chart as a list: readable without the picture, every bar a link to its calls. */
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
              <span className="bar-label">{b.label}</span>
              <span className={`bar ${b.tone ?? 'ok'}`} style={{ width: `${(b.value / max) * 100}%` }} />
              <span className="bar-value">
                {b.value.toLocaleString()}
                {b.note ? ` · ${b.note}` : ''}
              </span>
            </>
          );
          return <li key={b.key}>{b.href ? <Link href={b.href}>{body}</Link> : <span>{body}</span>}</li>;
        })}
      </ul>
    </figure>
  );
}
