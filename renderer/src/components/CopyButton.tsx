import { useState } from 'react';

/** One click copies an id, hash or digest; the label confirms it for a moment. */
export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="copy-btn"
      title={`Copy ${value}`}
      aria-label={`${label}: ${value}`}
      onClick={() => {
        void navigator.clipboard?.writeText(value).then(
          () => {
            setCopied(true);
            window.setTimeout(() => setCopied(false), 1200);
          },
          () => undefined,
        );
      }}
    >
      {copied ? 'copied' : 'copy'}
    </button>
  );
}

/** The file's whole SHA-256 with a copy button, or "computing…" while it is being hashed. */
export function FileSha256({ sha256 }: { sha256: string | null | undefined }) {
  return (
    <>
      {sha256 ?? 'computing…'} {sha256 && <CopyButton value={sha256} label="Copy the file's SHA-256" />}
    </>
  );
}
