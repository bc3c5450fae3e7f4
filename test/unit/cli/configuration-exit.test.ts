import { main } from '../../../src/cli/main';

/** A bad configuration stops the command with exit code 2 before any service is opened. */
describe('ppm with a bad configuration', () => {
  const saved = { ...process.env };
  let errors: string[];
  let stderr: jest.SpyInstance;
  let stdout: jest.SpyInstance;

  beforeEach(() => {
    errors = [];
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      errors.push(String(chunk));
      return true;
    });
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });

  afterEach(() => {
    stderr.mockRestore();
    stdout.mockRestore();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('exits 2 naming LOG_LEVEL when it is not a pino level', async () => {
    process.env.LOG_LEVEL = 'loud';
    expect(await main(['node', 'ppm', 'wave', 'plan', 'w1', '--all'])).toBe(2);
    expect(errors.join('')).toContain('LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent');
  });

  it('exits 2 without echoing a MARKETPLACE_DATABASE_URL that is not a URL', async () => {
    process.env.MARKETPLACE_DATABASE_URL = 'not a url secretpw';
    expect(await main(['node', 'ppm', 'db', 'migrate'])).toBe(2);
    expect(errors.join('')).toContain('MARKETPLACE_DATABASE_URL: ');
    expect(errors.join('')).toContain('(got a value that is not a URL)');
    expect(errors.join('')).not.toContain('secretpw');
  });

  it('exits 2 naming the variable whose port is out of range', async () => {
    process.env.MARKETPLACE_DATABASE_URL = 'postgres://postgres@127.0.0.1:99999/marketplace';
    expect(await main(['node', 'ppm', 'db', 'migrate'])).toBe(2);
    expect(errors.join('')).toContain('MARKETPLACE_DATABASE_URL: the port must be a number from 1 to 65535');
  });
});
