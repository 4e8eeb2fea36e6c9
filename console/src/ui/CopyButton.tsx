import { useState } from 'react';

/** Copies a value to the clipboard and says so (for screen readers too). */
export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={async () => {
        await navigator.clipboard.writeText(value);
        setCopied(true);
      }}
    >
      {label}
      <span aria-live="polite">{copied ? ' ✓ copied' : ''}</span>
    </button>
  );
}
