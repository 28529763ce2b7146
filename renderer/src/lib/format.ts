// Formatting shared by every screen. Times are always shown with their zone (UTC unless the user
// chose local), numbers with separators, hashes shortened but copyable.

const numberFormat = new Intl.NumberFormat('en-US');

export function formatCount(value: number): string {
  return numberFormat.format(value);
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

let displayZone: 'utc' | 'local' = 'utc';

/** Set from the user's settings; every time on screen follows it, always labelled with its zone. */
export function setDisplayZone(zone: 'utc' | 'local'): void {
  displayZone = zone;
}

function offsetLabel(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  if (minutes === 0) return 'UTC';
  const sign = minutes > 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** "2026-03-14 03:41:07 UTC" (or local time with its offset, e.g. "… 04:41:07 UTC+01:00"). */
export function formatTime(ms: number | null | undefined, withMillis = false, zone = displayZone): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  const utc = zone === 'utc';
  const parts = utc
    ? [
        d.getUTCFullYear(),
        d.getUTCMonth() + 1,
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
        d.getUTCMilliseconds(),
      ]
    : [
        d.getFullYear(),
        d.getMonth() + 1,
        d.getDate(),
        d.getHours(),
        d.getMinutes(),
        d.getSeconds(),
        d.getMilliseconds(),
      ];
  const [year, month, day, hour, minute, second, millis] = parts as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const base = `${year}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)}:${pad(second)}`;
  return `${withMillis ? `${base}.${pad(millis, 3)}` : base} ${utc ? 'UTC' : offsetLabel(d)}`;
}

export function shortHash(hash: string, length = 8): string {
  return hash.slice(0, length);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds % 60)} s`;
}
