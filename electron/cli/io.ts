import type { Writable } from 'node:stream';

/** Where a command writes. Injected so commands can be run in-process by tests as well as for real. */
export interface CliIO {
  /** Writes to standard output, waiting when the pipe is full (large exports). */
  out(text: string): Promise<void>;
  /** Writes to standard error. */
  err(text: string): Promise<void>;
  /** Standard error is a terminal (progress may be drawn there). */
  errIsTTY: boolean;
}

function writer(stream: Writable): (text: string) => Promise<void> {
  return (text) =>
    new Promise((resolve, reject) => {
      if (text === '') {
        resolve();
        return;
      }
      stream.write(text, (error) => (error ? reject(error) : resolve()));
    });
}

export function processIO(): CliIO {
  return { out: writer(process.stdout), err: writer(process.stderr), errIsTTY: process.stderr.isTTY === true };
}

/** An in-memory IO, for tests. */
export function memoryIO(): CliIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: async (text) => {
      out += text;
    },
    err: async (text) => {
      err += text;
    },
    errIsTTY: false,
    stdout: () => out,
    stderr: () => err,
  };
}
