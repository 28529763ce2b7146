/**
 * A strict RFC 4180 parser for the tests (no CSV package is installed; papaparse or csv-parse would do as
 * well). Unlike lenient parsers it refuses everything the RFC does not allow:
 * - records end with CRLF (a bare CR or LF outside quotes is an error), and the text must end with CRLF;
 * - a field is either unquoted (no `"`, CR or LF — commas end it) or wholly quoted, with `""` for a quote,
 *   and a closing quote must be followed by a comma, CRLF or the end;
 * - every record has as many fields as the first (the header).
 * Errors name the line and column.
 */
export class CsvError extends Error {}

export function parseCsvStrict(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (message: string): never => {
    throw new CsvError(`${message} (line ${line}, column ${i - lineStart + 1})`);
  };
  if (text.length === 0) return [];
  if (!text.endsWith('\r\n')) fail('the text does not end with CRLF');

  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) fail('a quoted field is not closed');
        const ch = text[i]!;
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (ch === '\n') {
          line++;
          lineStart = i + 1;
        }
        field += ch;
        i++;
      }
      const next = text[i];
      if (next !== ',' && next !== '\r' && next !== undefined) fail('a closing quote is followed by something else');
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') fail('a quote inside an unquoted field');
        field += text[i];
        i++;
      }
      if (text[i] === '\n') fail('a bare LF ends a record');
    }
    record.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    // CRLF ends the record.
    if (text[i] !== '\r' || text[i + 1] !== '\n') fail('a bare CR ends a record');
    i += 2;
    line++;
    lineStart = i;
    if (records.length > 0 && record.length !== records[0]!.length) {
      fail(`a record has ${record.length} fields, the header ${records[0]!.length}`);
    }
    records.push(record);
    record = [];
  }
  return records;
}

/** Records as objects keyed by the header row. */
export function csvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsvStrict(text);
  if (header === undefined) return [];
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]!])));
}
