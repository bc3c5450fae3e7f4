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

  it('has timeouts by default: a generous statement timeout, a shorter lock timeout, a bounded wave wait', () => {
    const config = loadConfig({});
    expect(config.PG_STATEMENT_TIMEOUT_MS).toBe(1_800_000);
    expect(config.PG_LOCK_TIMEOUT_MS).toBe(60_000);
    expect(config.LEGACY_QUERY_TIMEOUT_MS).toBe(600_000);
    expect(config.WAVE_RUN_TIMEOUT).toBe(24 * 3_600_000);
    expect(config.PG_LOADER_ROLE).toBe('ppm_loader');
    expect(config.OUTAGE_WAIT).toBe(3 * 60_000);
    expect(loadConfig({ PG_LOCK_TIMEOUT_MS: '0', WAVE_RUN_TIMEOUT: '90s', OUTAGE_WAIT: '10m' })).toMatchObject({
      PG_LOCK_TIMEOUT_MS: 0,
      WAVE_RUN_TIMEOUT: 90_000,
      OUTAGE_WAIT: 600_000,
    });
  });

  it.each([
    ['LEGACY_DATABASE_URL', 'oracle://scott:tiger@db/x'],
    ['MARKETPLACE_DATABASE_URL', 'mysql://root@h/db'],
    ['REDIS_URL', 'http://localhost'],
    ['LEGACY_TIMEZONE', 'Mars/Olympus'],
    ['BATCH_SIZE', '-5'],
    ['WEBINAR_DELAY', 'two days'],
    ['PG_STATEMENT_TIMEOUT_MS', '-1'],
    ['PG_LOCK_TIMEOUT_MS', 'soon'],
    ['PG_LOADER_ROLE', 'ppm_loader; DROP TABLE x'],
    ['LEGACY_QUERY_TIMEOUT_MS', '1.5'],
    ['WAVE_RUN_TIMEOUT', 'forever'],
    ['OUTAGE_WAIT', 'a few minutes'],
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

  const messageOf = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      return (error as Error).message;
    }
    throw new Error('loadConfig accepted the configuration');
  };

  it.each([
    ['MARKETPLACE_DATABASE_URL', 'not a url secretpw'],
    ['LEGACY_DATABASE_URL', 'sa:secretpw@sqlhost/partner_portal'],
    ['LEGACY_DATABASE_URL', 'mssql:sa:secretpw@sqlhost/partner_portal'],
    ['REDIS_URL', 'redis://:secretpw@[bad host/'],
    ['SMTP_URL', 'smtp://user:secretpw@mail host:25'],
  ])('never echoes a %s that is not a URL (%s)', (name, value) => {
    const message = messageOf({ [name]: value });
    expect(message).toMatch(new RegExp(`^invalid configuration:\\n  ${name}: `));
    expect(message).toContain('(got a value that is not a URL)');
    expect(message).not.toContain('secretpw');
  });

  it('shows a URL value only with its credentials masked', () => {
    const message = messageOf({
      MARKETPLACE_DATABASE_URL: 'mysql://app:p@ss@secretpw@db.example:5432/x?password=hidden',
    });
    expect(message).toContain('MARKETPLACE_DATABASE_URL: must be postgres://');
    expect(message).toContain('(got "mysql://***@db.example:5432/x?...")');
    expect(message).not.toMatch(/secretpw|p@ss|hidden|app/);
  });

  it.each([
    ['LEGACY_DATABASE_URL', 'mysql://root:secretpw@127.0.0.1:99999/partner_portal'],
    ['LEGACY_DATABASE_URL', 'mssql://sa:secretpw@127.0.0.1:0/partner_portal'],
    ['MARKETPLACE_DATABASE_URL', 'postgres://postgres:secretpw@127.0.0.1:99999/marketplace'],
    ['MARKETPLACE_DATABASE_URL', 'postgres://[::1]:65536/marketplace'],
    ['REDIS_URL', 'redis://127.0.0.1:port'],
    ['SMTP_URL', 'smtp://mail.example:70000'],
    ['MARKETPLACE_INVITE_URL', 'https://portal.example:123456/accept?token='],
  ])('names %s when its port is not 1-65535 (%s)', (name, value) => {
    const message = messageOf({ [name]: value });
    expect(message).toBe(`invalid configuration:\n  ${name}: the port must be a number from 1 to 65535`);
  });

  it('accepts the ports 1 and 65535, IPv6 hosts and URLs without a port', () => {
    const config = loadConfig({
      LEGACY_DATABASE_URL: 'mssql://sa:x@sql.example:1/pp',
      MARKETPLACE_DATABASE_URL: 'postgres://postgres@[::1]:65535/marketplace',
      REDIS_URL: 'redis://cache.example',
      SMTP_URL: 'smtps://user:pass@mail.example:465',
    });
    expect(config.LEGACY_DATABASE_URL).toBe('mssql://sa:x@sql.example:1/pp');
    expect(config.MARKETPLACE_DATABASE_URL).toBe('postgres://postgres@[::1]:65535/marketplace');
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
