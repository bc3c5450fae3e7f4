import { createProgress, progressWithWaiting } from '../../../src/cli/progress';

/** A non-terminal stream that keeps what is written to it. */
function captured(): { stream: NodeJS.WriteStream; lines(): Array<Record<string, unknown>> } {
  let text = '';
  const stream = {
    isTTY: false,
    write(chunk: string) {
      text += chunk;
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return {
    stream,
    lines: () =>
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('progressWithWaiting', () => {
  it('shows the database a command waits for beside its progress, and no more once it answers', () => {
    const out = captured();
    const progress = progressWithWaiting(createProgress('verify w1', 'partners', out.stream, 0));
    progress.onProgress(3, 30);
    progress.onWaiting({ name: 'the marketplace database 127.0.0.1:5432/marketplace', downForMs: 12_000 });
    progress.onWaiting(undefined);
    progress.onProgress(30, 30);
    progress.stop();
    const lines = out.lines();
    expect(lines.map((line) => [line.partners, line.waiting_for])).toEqual([
      [3, undefined],
      [3, 'the marketplace database 127.0.0.1:5432/marketplace (12s)'],
      [3, undefined],
      [30, undefined],
      [30, undefined],
    ]);
    expect(lines.at(-1)?.event).toBe('progress_done');
  });
});
