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

/** Progress on stderr when it is a terminal and the work is large. */
export function progressTo(
  io: CliIO,
  label: string,
): { onProgress: (done: number, total: number) => void; end(): Promise<void> } {
  let shown = false;
  return {
    onProgress(done, total) {
      if (!io.errIsTTY || total < 50_000) return;
      shown = true;
      void io.err(`\r${label}: ${Math.floor((100 * done) / Math.max(1, total))}%`);
    },
    async end() {
      if (shown) await io.err('\r\u001b[K');
    },
  };
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
