import { ConfigurationError } from '../../../src/core/errors';
import { databaseOf, legacyEngineOf, loadConfig, withDatabase } from '../../../src/core/config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config.LEGACY_DATABASE_URL).toBe('mysql://root@127.0.0.1:3306/partner_portal');
    expect(config.MARKETPLACE_DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/marketplace');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.LEGACY_TIMEZONE).toBe('Europe/Zurich');
  });

  it.each([
    ['LEGACY_DATABASE_URL', 'oracle://scott:tiger@db/x'],
    ['MARKETPLACE_DATABASE_URL', 'mysql://root@h/db'],
    ['REDIS_URL', 'http://localhost'],
    ['LEGACY_TIMEZONE', 'Mars/Olympus'],
    ['BATCH_SIZE', '-5'],
    ['WEBINAR_DELAY', 'two days'],
  ])('names the variable %s when its value is bad', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigurationError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^invalid configuration:\\n  ${name}: `));
  });

  it('never repeats a password in its message', () => {
    let message = '';
    try {
      loadConfig({ LEGACY_DATABASE_URL: 'oracle://sa:Sup3rSecret@db:1433/x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('LEGACY_DATABASE_URL');
    expect(message).not.toContain('Sup3rSecret');
    expect(message).not.toContain('sa:');
  });

  it('reads durations (WEBINAR_DELAY)', () => {
    expect(loadConfig({}).WEBINAR_DELAY).toBe(2 * 86_400_000);
    expect(loadConfig({ WEBINAR_DELAY: '3s' }).WEBINAR_DELAY).toBe(3000);
    expect(loadConfig({ WEBINAR_DELAY: '15m' }).WEBINAR_DELAY).toBe(900_000);
    expect(loadConfig({ WEBINAR_DELAY: '250' }).WEBINAR_DELAY).toBe(250);
  });

  it('tells engines apart and swaps databases', () => {
    expect(legacyEngineOf('mssql://sa:x@h:1433/pp')).toBe('mssql');
    expect(legacyEngineOf('mysql://root@h/pp')).toBe('mariadb');
    expect(databaseOf(withDatabase('postgres://postgres@h:5432/a', 'b'))).toBe('b');
  });
});
