import { configSchema } from '../../../src/core/config';
import { renderEnvironmentHelp } from '../../../src/cli/environment-help';

describe('renderEnvironmentHelp', () => {
  it('names every configuration variable at the start of an entry, in the schema order', () => {
    const names = renderEnvironmentHelp()
      .split('\n')
      .map((line) => /^ {2}([A-Z][A-Z0-9_]*) /.exec(line)?.[1])
      .filter(Boolean);
    expect(names).toEqual([...Object.keys(configSchema.shape), 'LOG_LEVEL']);
  });

  it('wraps meanings to the width given, keeping a word longer than a line whole', () => {
    const lines = renderEnvironmentHelp(80).split('\n');
    const tooLong = lines.filter((line) => line.length > 80 && !/default: \S+$/.test(line) && !/^\s+\S+$/.test(line));
    expect(tooLong).toEqual([]);
  });
});
