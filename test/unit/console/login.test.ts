import { loadConfig } from '../../../src/core/config';
import { ConfigurationError } from '../../../src/core/errors';
import { hashPassword, verifyPassword } from '../../../src/console/passwords';
import { csrfMatches, isLoopback, SessionStore } from '../../../src/console/sessions';

describe('console login', () => {
  it('hashes passwords with scrypt and verifies only the right one', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(hash).not.toContain('correct');
    await expect(verifyPassword('correct horse', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct hors', hash)).resolves.toBe(false);
    await expect(verifyPassword('correct horse', 'plain-text')).resolves.toBe(false);
    expect(await hashPassword('correct horse')).not.toBe(hash);
  });

  it('reads CONSOLE_USERS, naming the variable and the entry but never the value', async () => {
    const hash = await hashPassword('secret-one');
    const config = loadConfig({ CONSOLE_USERS: `olga:operator:${hash}, axel:auditor:${hash}` });
    expect(config.CONSOLE_USERS).toEqual([
      { name: 'olga', role: 'operator', passwordHash: hash },
      { name: 'axel', role: 'auditor', passwordHash: hash },
    ]);
    expect(loadConfig({}).CONSOLE_USERS).toBeUndefined();
    expect(loadConfig({}).CONSOLE_SESSION_TTL).toBe(8 * 3600 * 1000);
    for (const bad of ['olga:admin:' + hash, 'olga:operator:hunter2', `olga:operator:${hash},olga:auditor:${hash}`]) {
      let message = '';
      try {
        loadConfig({ CONSOLE_USERS: bad });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigurationError);
        message = (error as Error).message;
      }
      expect(message).toContain('CONSOLE_USERS');
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain(hash);
    }
  });

  it('keeps sessions until they expire, and compares CSRF tokens exactly', () => {
    const store = new SessionStore(60_000);
    const session = store.create({ name: 'olga', role: 'operator' });
    expect(store.get(session.id)).toBe(session);
    expect(csrfMatches(session, session.csrf)).toBe(true);
    expect(csrfMatches(session, `${session.csrf}x`)).toBe(false);
    expect(csrfMatches(session, undefined)).toBe(false);
    store.delete(session.id);
    expect(store.get(session.id)).toBeUndefined();
    const expired = new SessionStore(-1).create();
    expect(new SessionStore(-1).get(expired.id)).toBeUndefined();
  });

  it('knows loopback addresses from the others', () => {
    for (const host of ['127.0.0.1', '127.8.0.1', 'localhost', '::1']) expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '10.0.0.5', '::', 'console.example.com']) expect(isLoopback(host)).toBe(false);
  });
});
