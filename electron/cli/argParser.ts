import { HindsightError } from '../core/errors';

/**
 * A small argument parser for the CLI: `--name value`, `--name=value`, boolean `--flag`, `-h`, and `--`
 * to end options. Anything it does not know is a usage error (`invalid_input`, exit code 2).
 */

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Shown in help, e.g. `N|any|no_stream|exists`. */
  valueName?: string;
  description: string;
  short?: string;
}

export interface PositionalSpec {
  name: string;
  description: string;
  optional?: boolean;
}

export interface ArgSpec {
  positionals: PositionalSpec[];
  options: Record<string, OptionSpec>;
}

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | boolean | undefined>;
}

function usage(message: string): HindsightError {
  return new HindsightError('invalid_input', message, { usage: true });
}

export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string | boolean | undefined> = Object.create(null);
  const byShort = new Map(
    Object.entries(spec.options)
      .filter(([, o]) => o.short !== undefined)
      .map(([name, o]) => [o.short!, name]),
  );
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (onlyPositionals || arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    let name: string;
    let inlineValue: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inlineValue = eq === -1 ? undefined : arg.slice(eq + 1);
    } else {
      const long = byShort.get(arg.slice(1));
      if (long === undefined) throw usage(`Unknown option ${arg}.`);
      name = long;
    }
    const option = Object.hasOwn(spec.options, name) ? spec.options[name] : undefined;
    if (option === undefined) throw usage(`Unknown option --${name}.`);
    if (options[name] !== undefined) throw usage(`The option --${name} is given twice.`);
    if (option.type === 'boolean') {
      if (inlineValue !== undefined) throw usage(`The option --${name} takes no value.`);
      options[name] = true;
      continue;
    }
    if (inlineValue === undefined) {
      const next = argv[i + 1];
      if (next === undefined) throw usage(`The option --${name} needs a value (${option.valueName ?? 'value'}).`);
      inlineValue = next;
      i++;
    }
    options[name] = inlineValue;
  }
  const required = spec.positionals.filter((p) => !p.optional).length;
  if (positionals.length < required) {
    const missing = spec.positionals[positionals.length]!;
    throw usage(`Missing <${missing.name}>: ${missing.description}.`);
  }
  if (positionals.length > spec.positionals.length) {
    throw usage(`Unexpected argument "${positionals[spec.positionals.length]}".`);
  }
  return { positionals, options };
}

/** A string option that must be present. */
export function requireOption(args: ParsedArgs, name: string, what: string): string {
  const value = args.options[name];
  if (typeof value !== 'string') throw usage(`The option --${name} is required (${what}).`);
  return value;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === 'string' ? value : undefined;
}

/** A whole-number option (e.g. --from-position). */
export function intOption(args: ParsedArgs, name: string): number | undefined {
  const value = stringOption(args, name);
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) throw usage(`The option --${name} must be a whole number, not "${value}".`);
  return Number(value);
}

/** One line per option, for help texts. */
export function describeOptions(spec: ArgSpec): string[] {
  return Object.entries(spec.options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}`;
    return flag.length > 36
      ? `  ${flag}\n  ${''.padEnd(36)} ${o.description}`
      : `  ${flag.padEnd(36)} ${o.description}`;
  });
}
