// Formatting shared by every screen. Times are always shown with their zone (UTC unless the user
// chose local), numbers with separators, hashes shortened but copyable.

const numberFormat = new Intl.NumberFormat('en-US');

export function formatCount(value: number): string {
  return numberFormat.format(value);
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** "2026-03-14 03:41:07 UTC" */
export function formatTime(ms: number | null | undefined, withMillis = false): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${withMillis ? `${base}.${pad(d.getUTCMilliseconds(), 3)}` : base} UTC`;
}

export function shortHash(hash: string, length = 8): string {
  return hash.slice(0, length);
}

export function formatDigest(position: number, hash: string): string {
  return `${formatCount(position)}:${shortHash(hash)}…`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds % 60)} s`;
}
