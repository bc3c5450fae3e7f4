import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Runs `COPY ... FROM STDIN`, pulling text-format chunks from `chunks` as the connection takes
 * them and yielding to the event loop between chunks, so the server parses one chunk while the
 * next is being encoded. Resolves with the rows the server took. An error thrown by `chunks`
 * aborts the COPY (CopyFail) and is the one rejected with.
 */
export function copyFromChunks(client: ClientBase, sql: string, chunks: Iterable<string>): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const stream = client.query(copyFrom(sql));
    const iterator = chunks[Symbol.iterator]();
    let settled = false;
    let sourceError: unknown;
    stream.on('error', (error) => {
      settled = true;
      reject(sourceError ?? error);
    });
    stream.on('finish', () => {
      settled = true;
      resolve(stream.rowCount);
    });
    const pump = (): void => {
      if (settled) return;
      let next: IteratorResult<string>;
      try {
        next = iterator.next();
      } catch (error) {
        sourceError = error;
        stream.destroy(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (next.done) {
        stream.end();
      } else if (stream.write(next.value)) {
        setImmediate(pump);
      } else {
        stream.once('drain', pump);
      }
    };
    pump();
  });
}

/** COPY of lines already encoded. */
export function copyFromText(client: ClientBase, sql: string, lines: ReadonlyArray<string>): Promise<number> {
  return copyFromChunks(client, sql, chunksOfLines(lines));
}

const CHUNK_CHARS = 1 << 16;

/** Encoded lines regrouped into chunks of about 64 KiB. */
export function* chunksOfLines(lines: ReadonlyArray<string>): Generator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}
