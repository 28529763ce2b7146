// The SHA-256 of a file's bytes, streamed in chunks so a large file neither fills memory nor blocks
// the main process for long. It identifies exactly which file was examined (reports print it).
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { HindsightError } from '../errors';

export async function fileSha256(
  path: string,
  opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<string> {
  const total = statSync(path).size;
  const hash = createHash('sha256');
  let done = 0;
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  for await (const chunk of stream) {
    if (opts.signal?.aborted) {
      stream.destroy();
      throw new HindsightError('cancelled', 'Computing the file fingerprint was cancelled.');
    }
    hash.update(chunk as Buffer);
    done += (chunk as Buffer).length;
    opts.onProgress?.(done, total);
  }
  return hash.digest('hex');
}
