import { describe, expect, it } from 'vitest';
import { type ArgSpec, describeOptions, intOption, parseArgs, requireOption } from '../../../electron/cli/argParser';

const spec: ArgSpec = {
  positionals: [
    { name: 'file', description: 'the store file' },
    { name: 'extra', description: 'something optional', optional: true },
  ],
  options: {
    stream: { type: 'string', valueName: 'STREAM', description: 'a stream' },
    json: { type: 'boolean', description: 'json', short: 'j' },
    'from-position': { type: 'string', valueName: 'N', description: 'from' },
  },
};

function usageError(argv: string[]): string {
  try {
    parseArgs(argv, spec);
  } catch (error) {
    expect(error).toMatchObject({ code: 'invalid_input', details: { usage: true } });
    return (error as Error).message;
  }
  throw new Error('no usage error');
}

describe('parseArgs', () => {
  it('reads positionals, --name value, --name=value, booleans and short flags in any order', () => {
    expect(parseArgs(['--stream', 'a-1', 'store.hindsight', '-j'], spec)).toEqual({
      positionals: ['store.hindsight'],
      options: { stream: 'a-1', json: true },
    });
    expect(parseArgs(['f', 'x', '--stream=a=b', '--from-position', '7'], spec)).toEqual({
      positionals: ['f', 'x'],
      options: { stream: 'a=b', 'from-position': '7' },
    });
  });

  it('takes the next argument as a value even when it starts with a dash', () => {
    expect(parseArgs(['f', '--stream', '-5'], spec).options.stream).toBe('-5');
  });

  it('treats everything after -- as positionals', () => {
    expect(parseArgs(['--', '--json'], spec)).toEqual({ positionals: ['--json'], options: {} });
  });

  it.each([
    [['f', '--nope'], /^Unknown option --nope\.$/],
    [['f', '-x'], /^Unknown option -x\.$/],
    [['f', '--stream'], /^The option --stream needs a value \(STREAM\)\.$/],
    [['f', '--json=yes'], /takes no value/],
    [['f', '--json', '--json'], /given twice/],
    [[], /^Missing <file>: the store file\.$/],
    [['a', 'b', 'c'], /^Unexpected argument "c"\.$/],
    [['f', '--__proto__', 'x'], /Unknown option --__proto__/],
  ])('refuses %j with a usage error', (argv, message) => {
    expect(usageError(argv)).toMatch(message);
  });

  it('has helpers for required and numeric options', () => {
    const args = parseArgs(['f', '--from-position', '12'], spec);
    expect(intOption(args, 'from-position')).toBe(12);
    expect(() => requireOption(args, 'stream', 'the stream id')).toThrow(
      'The option --stream is required (the stream id).',
    );
    expect(() => intOption(parseArgs(['f', '--from-position', '1e3'], spec), 'from-position')).toThrow(/whole number/);
  });

  it('describes options for help texts', () => {
    expect(describeOptions(spec)[0]).toMatch(/^ {2}--stream STREAM +a stream$/);
    expect(describeOptions(spec)[1]).toMatch(/^ {2}-j, --json +json$/);
  });
});
