// <input type="datetime-local"> speaks local time; Hindsight shows UTC everywhere. These two convert
// between the input's text and UTC milliseconds, treating the text as UTC.
export function toUtcInputValue(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-03-14T03:41:07.000Z
  return iso.slice(0, 19);
}

export function fromUtcInputValue(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  return Number.isFinite(ms) ? ms : null;
}
