import { catalog } from '../../core/commands/catalog';
import type { CatalogEntry } from '../../core/commands/types';
import type { JsonSchema } from '../../core/domain/registry';
import { HindsightError } from '../../core/errors';
import { type CliCommand, EXIT, JSON_OPTION, printJson } from '../command';

/**
 * `hindsight catalog [CommandType]`: every command the bus accepts, with its fields (from its JSON Schema) and an
 * example; with a command type, that command's full JSON Schema; with --json, the whole catalog including schemas.
 * Needs no store.
 */

function typeOf(schema: JsonSchema): string {
  if (typeof schema !== 'object' || schema === null) return 'any';
  const type = schema.type;
  if (type === 'array' && typeof schema.items === 'object' && schema.items !== null) {
    return `array of ${typeOf(schema.items as JsonSchema)}`;
  }
  return typeof type === 'string' ? type : 'any';
}

function fieldLines(schema: JsonSchema, indent: string): string[] {
  if (typeof schema !== 'object' || schema === null || typeof schema.properties !== 'object') return [];
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const lines: string[] = [];
  for (const [name, field] of Object.entries(schema.properties as Record<string, JsonSchema>)) {
    const f = typeof field === 'object' && field !== null ? field : {};
    const description = typeof f.description === 'string' ? `  ${f.description}` : '';
    lines.push(
      `${indent}${name.padEnd(18)} ${typeOf(field).padEnd(16)} ${required.has(name) ? 'required' : 'optional'}${description}`,
    );
    const items = f.type === 'array' ? (f.items as JsonSchema | undefined) : undefined;
    if (items !== undefined) lines.push(...fieldLines(items, `${indent}  `));
  }
  return lines;
}

function describeEntry(entry: CatalogEntry): string {
  const flags = [
    entry.domain,
    `stream ${entry.streamCategory}-…`,
    ...(entry.corrective ? ['corrective: --reason required'] : []),
  ];
  return [
    `${entry.type}  (${flags.join(', ')})`,
    `  ${entry.description}`,
    ...fieldLines(entry.jsonSchema, '    '),
    `  Example: --data '${JSON.stringify(entry.example)}'`,
  ].join('\n');
}

export const catalogCommand: CliCommand = {
  name: 'catalog',
  summary: 'list every command the bus accepts, with its fields, JSON Schema and an example',
  spec: {
    positionals: [
      { name: 'CommandType', description: 'show this command only, with its full JSON Schema', optional: true },
    ],
    options: { ...JSON_OPTION },
  },
  examples: ['hindsight catalog', 'hindsight catalog RefundOrder', 'hindsight catalog --json'],
  async run(args, { io, json }) {
    const only = args.positionals[0];
    const entries = catalog();
    const selected = only === undefined ? entries : entries.filter((e) => e.type === only);
    if (selected.length === 0) {
      throw new HindsightError(
        'invalid_input',
        `Unknown command type "${only}"; the commands are: ${entries.map((e) => e.type).join(', ')}.`,
        { commandType: only },
      );
    }
    if (json) {
      await printJson(io, only === undefined ? selected : selected[0]);
    } else if (only !== undefined) {
      await io.out(
        `${describeEntry(selected[0]!)}\n  JSON Schema:\n${JSON.stringify(selected[0]!.jsonSchema, null, 2).replace(/^/gm, '    ')}\n`,
      );
    } else {
      await io.out(`${selected.map(describeEntry).join('\n\n')}\n`);
    }
    return EXIT.ok;
  },
};
