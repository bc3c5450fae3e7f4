import { Writable } from 'node:stream';
import { ConfigurationError } from '../../../src/core/errors';
import { createLogger, LOG_LEVELS } from '../../../src/core/logger';

describe('createLogger and LOG_LEVEL', () => {
  const saved = process.env.LOG_LEVEL;
  afterEach(() => {
    if (saved === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = saved;
  });

  const sink = () =>
    new Writable({
      write(_chunk, _encoding, callback) {
        callback();
      },
    });

  it('refuses a LOG_LEVEL that is not a pino level, naming the variable and the levels', () => {
    process.env.LOG_LEVEL = 'loud';
    let error: unknown;
    try {
      createLogger({ destination: sink() });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(
      'invalid configuration:\n  LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    );
  });

  it('does not echo a LOG_LEVEL that is not a word', () => {
    process.env.LOG_LEVEL = 'mysql://root:secretpw@db/x';
    expect(() => createLogger({ destination: sink() })).toThrow(ConfigurationError);
    expect(() => createLogger({ destination: sink() })).toThrow(
      /^invalid configuration:\n {2}LOG_LEVEL: must be one of [a-z, ]+$/,
    );
  });

  it('refuses a bad level given in code too', () => {
    delete process.env.LOG_LEVEL;
    expect(() => createLogger({ level: 'verbose', destination: sink() })).toThrow(ConfigurationError);
  });

  it.each(LOG_LEVELS)('takes the level %s', (level) => {
    process.env.LOG_LEVEL = level;
    expect(createLogger({ destination: sink() }).level).toBe(level);
  });

  it('defaults to info when LOG_LEVEL is unset or empty', () => {
    delete process.env.LOG_LEVEL;
    expect(createLogger({ destination: sink() }).level).toBe('info');
    process.env.LOG_LEVEL = '';
    expect(createLogger({ destination: sink() }).level).toBe('info');
  });
});
