import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const CHUNK_CHARS = 1 << 20;

/**
 * Runs `COPY ... FROM STDIN` with the given text-format lines, in one COPY round trip,
 * and resolves with the number of rows the server took.
 */
export function copyFromText(client: ClientBase, sql: string, lines: ReadonlyArray<string>): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const stream = client.query(copyFrom(sql));
    stream.on('error', reject);
    stream.on('finish', () => resolve(stream.rowCount));
    // Chunks of about a megabyte: few CopyData messages, no single huge string.
    let chunk = '';
    for (const line of lines) {
      chunk += line;
      if (chunk.length >= CHUNK_CHARS) {
        stream.write(chunk);
        chunk = '';
      }
    }
    if (chunk.length > 0) stream.end(chunk);
    else stream.end();
  });
}
