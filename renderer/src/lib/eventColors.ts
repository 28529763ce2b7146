// A stable colour per event type, so the same type reads the same everywhere. Hues are spread by a
// string hash; lightness comes from the theme (CSS), only the hue is chosen here.
export function eventTypeHue(type: string): number {
  let hash = 2166136261;
  for (let i = 0; i < type.length; i++) {
    hash ^= type.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return Math.abs(hash) % 360;
}
