import { CopyButton } from './CopyButton';

/** A new secret: shown once, never again; the gateway keeps only its hash or sealed copy. */
export function SecretOnce({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  return (
    <section className="secret" aria-label={label}>
      <h3>{label}</h3>
      <p>Copy it now: it will not be shown again.</p>
      <code data-testid="secret">{value}</code>
      <div className="row">
        <CopyButton value={value} label="Copy to clipboard" />
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}
