import { ContractViolationError } from '../../../src/core/errors';
import { mariaDbPoolOptions, describeMariaDbUrl } from '../../../src/extract/mariadb/connect';
import { buildCountPartnerRowsQuery } from '../../../src/extract/mariadb/sql/count-partner-rows';
import { buildInsertRowsQuery, toMariaDbValue } from '../../../src/extract/mariadb/sql/insert-rows';
import { buildListPartnerIdsQuery } from '../../../src/extract/mariadb/sql/list-partner-ids';
import { buildLinesOfParentsQuery } from '../../../src/extract/mariadb/sql/read-lines-of-parents';
import { buildPartitionBoundsQuery } from '../../../src/extract/mariadb/sql/read-partition-bounds';
import { buildPartnerRowsPageQuery } from '../../../src/extract/mariadb/sql/read-partner-rows-page';
import { buildPartnerDigestsQuery } from '../../../src/extract/mariadb/sql/range-checksums';
import { READ_WATERMARK_SQL } from '../../../src/extract/mariadb/sql/read-watermark';
import { buildUpdatePortalModeQuery } from '../../../src/extract/mariadb/sql/update-portal-mode';
import { legacyDdlPath } from '../../../src/extract/mariadb/legacy-ddl-path';
import { existsSync } from 'node:fs';

describe('MariaDB statements', () => {
  it('digests a chunk of partners with MariaDB estimating its IN list from index dives, not statistics', () => {
    const ids = Array.from({ length: 300 }, (_, index) => index + 1);
    const query = buildPartnerDigestsQuery('order_line', ids, '42');
    expect(query.sql).toMatch(/^SET STATEMENT eq_range_index_dive_limit = 0 FOR SELECT pid, COUNT\(\*\) AS n, /);
    expect(query.sql).toContain(`WHERE p.\`PartnerId\` IN (${ids.join(', ')}) AND t.\`RowVer\` <= CAST(? AS UNSIGNED)`);
    expect(query.params).toEqual(['42']);
    expect(buildPartnerDigestsQuery('invoice', [7], '1').sql).toMatch(/^SET STATEMENT eq_range_index_dive_limit = 0 FOR SELECT pid, currency, month, /);
  });

  it('reads the sequence without NEXTVAL', () => {
    expect(READ_WATERMARK_SQL).toBe('SELECT CAST(next_not_cached_value - 1 AS UNSIGNED) AS watermark FROM RowVerSeq');
    expect(READ_WATERMARK_SQL).not.toMatch(/NEXTVAL/i);
  });

  it('builds a keyset page without OFFSET, watermark cast to an exact unsigned integer', () => {
    expect(buildPartnerRowsPageQuery('Orders', 7, { after: 10, upTo: 20 }, '42', 500)).toEqual({
      sql: 'SELECT `OrderId`, `OrderNumber`, `PartnerId`, `CustomerId`, `OrderType`, `Status`, `OrderDate`, `CurrencyCode`, `TotalAmount`, `PoNumber`, `CreatedBy`, `ModifiedAtUtc`, `RowVer` '
        + 'FROM `Orders` WHERE `PartnerId` = ? AND `OrderId` > ? AND `OrderId` <= ? AND `RowVer` <= CAST(? AS UNSIGNED) ORDER BY `OrderId` LIMIT ?',
      params: [7, 10, 20, '42', 500],
    });
    expect(buildPartnerRowsPageQuery('PartnerUsers', 7, undefined, '42', 5).sql).not.toMatch(/OFFSET|> \?/);
  });

  it('quotes LineNo and bounds the lines on the parent key', () => {
    expect(buildLinesOfParentsQuery('OrderLines', 7, { after: 10 }, '42')).toEqual({
      sql: 'SELECT l.`OrderLineId`, l.`OrderId`, l.`LineNo`, l.`Sku`, l.`ProductName`, l.`Quantity`, l.`UnitPrice`, l.`LineTotal`, l.`BillingFrequency`, l.`TermMonths`, l.`SubscriptionRef`, l.`ModifiedAtUtc`, l.`RowVer` '
        + 'FROM `OrderLines` l JOIN `Orders` p ON p.`OrderId` = l.`OrderId` WHERE p.`PartnerId` = ? AND p.`OrderId` > ? AND l.`RowVer` <= CAST(? AS UNSIGNED) ORDER BY l.`OrderId`, l.`OrderLineId`',
      params: [7, 10, '42'],
    });
  });

  it('builds partition bounds, counts and the list of partners', () => {
    expect(buildPartitionBoundsQuery('order', 7, '42', 1000)).toEqual({
      sql: 'SELECT k FROM (SELECT `OrderId` AS k, ROW_NUMBER() OVER (ORDER BY `OrderId`) AS rn, COUNT(*) OVER () AS total FROM `Orders` WHERE `PartnerId` = ? AND `RowVer` <= CAST(? AS UNSIGNED)) numbered WHERE rn % ? = 0 AND rn < total ORDER BY k',
      params: [7, '42', 1000],
    });
    expect(buildCountPartnerRowsQuery(7, '42').params).toEqual([7, '42', 7, '42', 7, '42', 7, '42', 7, '42', 7, '42', 7, '42']);
    expect(buildListPartnerIdsQuery({ ids: [1, 2], limit: 3 })).toEqual({
      sql: 'SELECT `PartnerId` FROM `Partners` WHERE `PartnerId` IN (?) ORDER BY `PartnerId` LIMIT ?', params: [[1, 2], 3],
    });
  });

  it('refuses malformed watermarks and portal modes', () => {
    expect(() => buildPartnerRowsPageQuery('Orders', 1, undefined, '4.2', 5)).toThrow(ContractViolationError);
    expect(() => buildUpdatePortalModeQuery(1, 'Deleted' as never)).toThrow(ContractViolationError);
    expect(buildUpdatePortalModeQuery(1, 'Migrated').params).toEqual(['Migrated', 1]);
  });

  it('inserts many rows in one statement, leaving RowVer to the trigger', () => {
    const query = buildInsertRowsQuery('PartnerUsers', [
      { UserId: 1, PartnerId: 1, Email: 'a', Role: 'Admin', IsPrimary: true, ModifiedAtUtc: '2024-01-01T00:00:00.000Z', RowVer: '5' },
      { UserId: 2, PartnerId: 1, Email: 'b', Role: 'Admin', IsPrimary: false, LastLoginAt: '2024-01-01 01:00:00.000' },
    ]);
    expect(query.sql).toBe('INSERT INTO `PartnerUsers` (`UserId`, `PartnerId`, `Email`, `Role`, `IsPrimary`, `LastLoginAt`, `ModifiedAtUtc`) VALUES ?');
    expect(query.params).toEqual([[
      [1, 1, 'a', 'Admin', 1, null, '2024-01-01 00:00:00.000'],
      [2, 1, 'b', 'Admin', 0, '2024-01-01 01:00:00.000', null],
    ]]);
    expect(() => buildInsertRowsQuery('Partners', [{ 'x`); DROP': 1 }])).toThrow(ContractViolationError);
    expect(toMariaDbValue('decimal', 10n)).toBe('10');
  });
});

describe('MariaDB connection options', () => {
  it('asks mysql2 for exact values and never a Date', () => {
    const options = mariaDbPoolOptions('mysql://app:p%40ss@db.example:3307/partner_portal?connectionLimit=8');
    expect(options).toMatchObject({
      host: 'db.example', port: 3307, user: 'app', password: 'p@ss', database: 'partner_portal',
      supportBigNumbers: true, bigNumberStrings: true, decimalNumbers: false, dateStrings: true, connectionLimit: 8,
      multipleStatements: false,
    });
    expect(String(options.charset).toLowerCase()).toContain('utf8mb4');
    expect(mariaDbPoolOptions('mysql://root@127.0.0.1/x', { withoutDatabase: true }).database).toBeUndefined();
  });

  it('describes a URL without its credentials', () => {
    expect(describeMariaDbUrl('mysql://root:secret@127.0.0.1:3306/pp')).toBe('127.0.0.1:3306/pp');
  });

  it('finds the legacy DDL from the package root', () => {
    expect(existsSync(legacyDdlPath('mariadb.sql'))).toBe(true);
    expect(existsSync(legacyDdlPath('mssql.sql'))).toBe(true);
  });
});
