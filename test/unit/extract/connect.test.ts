import { existsSync } from 'node:fs';
import { legacyDdlPath } from '../../../src/extract/legacy-ddl-path';
import { describeMariaDbUrl, mariaDbPoolOptions } from '../../../src/extract/mariadb/connect';
import { describeMssqlUrl, mssqlPoolConfig } from '../../../src/extract/mssql/connect';

describe('MariaDB connection options', () => {
  it('asks mysql2 for exact values and never a Date', () => {
    const options = mariaDbPoolOptions('mysql://app:p%40ss@db.example:3307/partner_portal?connectionLimit=8');
    expect(options).toMatchObject({
      host: 'db.example',
      port: 3307,
      user: 'app',
      password: 'p@ss',
      database: 'partner_portal',
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
      dateStrings: true,
      connectionLimit: 8,
      multipleStatements: false,
    });
    expect(String(options.charset).toLowerCase()).toContain('utf8mb4');
    expect(mariaDbPoolOptions('mysql://root@127.0.0.1/x', { withoutDatabase: true }).database).toBeUndefined();
  });

  it('describes a URL without its credentials', () => {
    expect(describeMariaDbUrl('mysql://root:secret@127.0.0.1:3306/pp')).toBe('127.0.0.1:3306/pp');
  });
});

describe('SQL Server connection options', () => {
  it('reads server, credentials and TLS flags from the URL', () => {
    const url = 'mssql://sa:Str0ng%21@sql.example:14330/partner_portal?trustServerCertificate=true';
    expect(mssqlPoolConfig(url)).toMatchObject({
      server: 'sql.example',
      port: 14330,
      user: 'sa',
      password: 'Str0ng!',
      database: 'partner_portal',
      options: { encrypt: true, trustServerCertificate: true },
    });
    expect(mssqlPoolConfig('mssql://sa:x@h/db', { toMaster: true }).database).toBe('master');
    expect(describeMssqlUrl('mssql://sa:Str0ng@h:1433/db')).toBe('h:1433/db');
  });
});

describe('legacy DDL', () => {
  it('finds the legacy DDL from the package root', () => {
    expect(existsSync(legacyDdlPath('mariadb.sql'))).toBe(true);
    expect(existsSync(legacyDdlPath('mssql.sql'))).toBe(true);
  });
});
