/** SQL identifiers from a foreign file's schema, quoted so that any name (spaces, quotes, keywords) is safe. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
