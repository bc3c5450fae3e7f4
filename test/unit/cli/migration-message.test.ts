import { describeMigration } from '../../../src/cli/migration-message';

describe('describeMigration', () => {
  it.each([
    [{ createdDatabase: true, applied: ['0001-a', '0002-b'] }, {}, 'created database mp and applied 2 migrations'],
    [{ createdDatabase: false, applied: ['0003-c'] }, {}, 'migrated database mp: applied 1 migration'],
    [
      { createdDatabase: false, applied: ['0003-c', '0004-d'] },
      { names: true },
      'migrated database mp: applied 2 migrations: 0003-c, 0004-d',
    ],
    [
      { createdDatabase: false, applied: [] },
      { names: true },
      'database mp is already up to date (no migration to apply)',
    ],
  ])('%j %j -> %s', (result, options, expected) => {
    expect(describeMigration(result, 'mp', options)).toBe(expected);
  });
});
