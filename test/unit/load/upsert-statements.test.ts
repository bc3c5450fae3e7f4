import { buildUpsertStatements } from '../../../src/load/copy/upsert-statements';

describe('buildUpsertStatements', () => {
  it('stages into a session temp table without constraints and copies the descriptor columns', () => {
    const statements = buildUpsertStatements('accounts');
    expect(statements.prepare).toBe(
      'CREATE TEMP TABLE IF NOT EXISTS ppm_stage_accounts ON COMMIT DELETE ROWS AS SELECT id, legacy_partner_id, type, name, status, partner, external_id, mpn_id FROM marketplace.accounts WITH NO DATA; DELETE FROM ppm_stage_accounts',
    );
    expect(statements.copy).toBe(
      'COPY ppm_stage_accounts (id, legacy_partner_id, type, name, status, partner, external_id, mpn_id) FROM STDIN',
    );
  });

  it('updates only rows whose values differ', () => {
    expect(buildUpsertStatements('accounts').upsert).toBe(
      'INSERT INTO marketplace.accounts AS t (id, legacy_partner_id, type, name, status, partner, external_id, mpn_id) ' +
        'SELECT s.id, s.legacy_partner_id, s.type, s.name, s.status, s.partner, s.external_id, s.mpn_id FROM ppm_stage_accounts s ' +
        'ON CONFLICT (id) DO UPDATE SET legacy_partner_id = EXCLUDED.legacy_partner_id, type = EXCLUDED.type, name = EXCLUDED.name, ' +
        'status = EXCLUDED.status, partner = EXCLUDED.partner, external_id = EXCLUDED.external_id, mpn_id = EXCLUDED.mpn_id ' +
        'WHERE (t.legacy_partner_id, t.type, t.name, t.status, t.partner, t.external_id, t.mpn_id) IS DISTINCT FROM ' +
        '(EXCLUDED.legacy_partner_id, EXCLUDED.type, EXCLUDED.name, EXCLUDED.status, EXCLUDED.partner, EXCLUDED.external_id, EXCLUDED.mpn_id)',
    );
  });

  it('lets users conflict on email, keep their id, and take the lowest legacy user id', () => {
    const { upsert, conflict } = buildUpsertStatements('users');
    expect(conflict).toEqual(['email']);
    expect(upsert).toContain('ON CONFLICT (email) DO UPDATE SET first_name = EXCLUDED.first_name');
    expect(upsert).not.toContain('id = EXCLUDED.id');
    expect(upsert).toContain('WHERE EXCLUDED.source_legacy_user_id <= t.source_legacy_user_id AND (t.first_name');
  });

  it('copies straight into every table but users on a first load', () => {
    expect(buildUpsertStatements('subscriptions').directCopy).toMatch(
      /^COPY marketplace\.subscriptions \(id, agreement_id, /,
    );
    expect(buildUpsertStatements('archive_orders').directCopy).toMatch(/^COPY archive\.orders /);
    expect(buildUpsertStatements('users').directCopy).toBeNull();
  });

  it('never moves archive rows back to an older legacy row version', () => {
    const { upsert } = buildUpsertStatements('archive_orders');
    expect(upsert).toContain('ON CONFLICT (legacy_order_id) DO UPDATE');
    expect(upsert).toContain(
      'WHERE COALESCE(EXCLUDED.legacy_row_version >= t.legacy_row_version, true) AND (t.order_number',
    );
  });
});
