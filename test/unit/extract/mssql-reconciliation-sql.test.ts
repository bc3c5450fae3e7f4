import { buildKeyChecksumsQuery, buildPartnerDigestsQuery, buildRangeChecksumsQuery } from '../../../src/extract/mssql/sql/range-checksums';
import { buildReadCanonicalRowsQuery } from '../../../src/extract/mssql/sql/read-canonical-rows';
import { buildRowsOfPartnersPageQuery } from '../../../src/extract/mssql/sql/read-rows-of-partners';
import { canonicalColumnExpression, canonicalTextExpression, rowHashApply, trimExpression } from '../../../src/extract/mssql/sql/canonical-sql';

const TRIM = 'TRIM(CHAR(32) + CHAR(9) + CHAR(10) + CHAR(13) + CHAR(12) + CHAR(11) FROM';

describe('SQL Server reconciliation statements', () => {
  it('builds each canonical column text in the form MariaDB and PostgreSQL produce', () => {
    const text = (legacy: string, type: Parameters<typeof canonicalColumnExpression>[1]['type'], table = 'Orders') =>
      canonicalColumnExpression(table, { legacy, archive: 'x', type }, 't');
    expect(text('OrderId', { kind: 'int' })).toBe('COALESCE(CONVERT(varchar(11), t.[OrderId]), CHAR(30))');
    expect(text('TotalAmount', { kind: 'decimal', scale: 4 })).toBe('COALESCE(CONVERT(varchar(40), t.[TotalAmount], 2), CHAR(30))');
    expect(text('TaxRate', { kind: 'decimal', scale: 2 }, 'InvoiceLines')).toBe('COALESCE(CONVERT(varchar(40), t.[TaxRate]), CHAR(30))');
    expect(text('OrderDate', { kind: 'localDateTime' })).toBe('COALESCE(CONVERT(char(23), t.[OrderDate], 121), CHAR(30))');
    expect(text('InvoiceDate', { kind: 'date' }, 'Invoices')).toBe('COALESCE(CONVERT(char(10), t.[InvoiceDate], 23), CHAR(30))');
    expect(text('RowVer', { kind: 'rowversion' })).toBe('COALESCE(CONVERT(varchar(20), CONVERT(bigint, t.[RowVer])), CHAR(30))');
    expect(text('PoNumber', { kind: 'text' })).toBe(`COALESCE(${TRIM} t.[PoNumber]), CHAR(30))`);
    expect(text('CurrencyCode', { kind: 'upperText' })).toBe(`COALESCE(UPPER(${TRIM} t.[CurrencyCode])), CHAR(30))`);
    expect(trimExpression('[x]')).toBe(`${TRIM} [x])`);
  });

  it('hashes the UTF-8 bytes of the canonical text and keeps 60 non-negative bits', () => {
    expect(canonicalTextExpression('order')).toMatch(/^CONVERT\(varchar\(max\), CONCAT_WS\(CHAR\(31\), COALESCE\(CONVERT\(varchar\(11\), t\.\[OrderId\]\), CHAR\(30\)\), .* COLLATE Latin1_General_100_CI_AS_SC_UTF8\)$/);
    expect(rowHashApply('order')).toContain("CROSS APPLY (SELECT HASHBYTES('MD5', CONVERT(varchar(max), CONCAT_WS(");
    expect(rowHashApply('order')).toContain('CONVERT(bigint, SUBSTRING([m].[md5], 1, 7)) * 16 + CONVERT(int, SUBSTRING([m].[md5], 8, 1)) / 16 AS [rh]');
  });

  it('aggregates count, exact hash sum and key span per range, lines by their parent key', () => {
    const query = buildRangeChecksumsQuery('order_line', 7, '99', [{ upTo: 10 }, { after: 10 }]);
    expect(query.params).toEqual([{ name: 'partnerId', type: 'Int', value: 7 }, { name: 'watermark', type: 'VarChar', value: '99' }]);
    expect(query.sql).toMatch(/^SELECT \[bucket\], COUNT\(\*\) AS \[n\], CONVERT\(varchar\(40\), SUM\(CONVERT\(decimal\(38, 0\), \[h\]\)\)\) AS \[total\], MIN\(\[k\]\) AS \[min_key\], MAX\(\[k\]\) AS \[max_key\] FROM \(SELECT CASE WHEN p\.\[OrderId\] <= 10 THEN 0 WHEN p\.\[OrderId\] > 10 THEN 1 END AS \[bucket\], p\.\[OrderId\] AS \[k\], \[x\]\.\[rh\] AS \[h\] FROM \[dbo\]\.\[OrderLines\] AS t JOIN \[dbo\]\.\[Orders\] AS p ON p\.\[OrderId\] = t\.\[OrderId\] CROSS APPLY/);
    expect(query.sql).toContain(' WHERE p.[PartnerId] = @partnerId AND t.[RowVer] <= CONVERT(binary(8), CONVERT(bigint, @watermark)) AND ((p.[OrderId] <= 10) OR (p.[OrderId] > 10))) AS [hashed] GROUP BY [bucket]');
    expect(() => buildRangeChecksumsQuery('order', 1, '1', [{ upTo: 1.5 }])).toThrow(RangeError);
  });

  it('lists per-key hashes of one range in key order', () => {
    const query = buildKeyChecksumsQuery('order', 3, '5', { after: 1, upTo: 9 });
    expect(query.sql).toMatch(/^SELECT t\.\[OrderId\] AS \[k\], CONVERT\(varchar\(20\), \[x\]\.\[rh\]\) AS \[h\] FROM \[dbo\]\.\[Orders\] AS t CROSS APPLY/);
    expect(query.sql).toContain('WHERE t.[PartnerId] = @partnerId AND t.[RowVer] <= CONVERT(binary(8), CONVERT(bigint, @watermark)) AND t.[OrderId] > 1 AND t.[OrderId] <= 9 ORDER BY t.[OrderId]');
  });

  it('reads canonical rows by a JSON array of keys', () => {
    const query = buildReadCanonicalRowsQuery('invoice', [4, 5]);
    expect(query.params).toEqual([{ name: 'keys', type: 'NVarCharMax', value: '[4,5]' }]);
    expect(query.sql).toContain('WHERE t.[InvoiceId] IN (SELECT CONVERT(int, [value]) FROM OPENJSON(@keys)) ORDER BY t.[InvoiceId]');
    expect(query.sql).toContain('COALESCE(CONVERT(varchar(40), t.[GrossAmount], 2), CHAR(30)) AS [c9]');
  });

  it('checksums many partners in one grouped scan, lines by their parent\'s partner', () => {
    const query = buildPartnerDigestsQuery('invoice_line', [3, 7], '99');
    expect(query.params).toEqual([{ name: 'partnerIds', type: 'NVarCharMax', value: '3,7' }, { name: 'watermark', type: 'VarChar', value: '99' }]);
    expect(query.sql).toMatch(/^SELECT \[pid\], COUNT\(\*\) AS \[n\], CONVERT\(varchar\(40\), SUM\(CONVERT\(decimal\(38, 0\), \[h\]\)\)\) AS \[total\], MIN\(\[k\]\) AS \[min_key\], MAX\(\[k\]\) AS \[max_key\] FROM \(SELECT p\.\[PartnerId\] AS \[pid\], p\.\[InvoiceId\] AS \[k\], \[x\]\.\[rh\] AS \[h\] FROM \[dbo\]\.\[InvoiceLines\] AS t JOIN \[dbo\]\.\[Invoices\] AS p ON p\.\[InvoiceId\] = t\.\[InvoiceId\] CROSS APPLY/);
    expect(query.sql).toContain(" WHERE p.[PartnerId] IN (SELECT CONVERT(int, [value]) FROM STRING_SPLIT(@partnerIds, ',')) AND t.[RowVer] <= CONVERT(binary(8), CONVERT(bigint, @watermark))) AS [hashed] GROUP BY [pid]");
    expect(() => buildPartnerDigestsQuery('order', [], '1')).toThrow(RangeError);
    expect(() => buildPartnerDigestsQuery('order', [1.5], '1')).toThrow(RangeError);
  });

  it('sums money per partner, currency and month in the checksum scan of orders and invoices, and pages the account rows of many partners', () => {
    const money = buildPartnerDigestsQuery('invoice', [2, 5], '8');
    expect(money.params).toEqual([{ name: 'partnerIds', type: 'NVarCharMax', value: '2,5' }, { name: 'watermark', type: 'VarChar', value: '8' }]);
    expect(money.sql).toMatch(/^SELECT \[pid\], \[currency\], \[month\], COUNT\(\*\) AS \[n\], .* MAX\(\[k\]\) AS \[max_key\], CONVERT\(varchar\(40\), SUM\(\[m1\]\), 2\) AS \[a1\], CONVERT\(varchar\(40\), SUM\(\[m2\]\), 2\) AS \[a2\], CONVERT\(varchar\(40\), SUM\(\[m3\]\), 2\) AS \[a3\] FROM \(/);
    expect(money.sql).toContain(`[x].[rh] AS [h], UPPER(${TRIM} t.[CurrencyCode])) AS [currency], CONVERT(char(7), t.[InvoiceDate], 23) AS [month], t.[NetAmount] AS [m1], t.[TaxAmount] AS [m2], t.[GrossAmount] AS [m3] FROM [dbo].[Invoices] AS t`);
    expect(money.sql).toMatch(/\) AS \[hashed\] GROUP BY \[pid\], \[currency\], \[month\]$/);
    expect(buildPartnerDigestsQuery('order_line', [2], '8').sql).toMatch(/GROUP BY \[pid\]$/);
    expect(buildRowsOfPartnersPageQuery('PartnerUsers', [2, 5], { after: 40 }, '8', 500)).toEqual({
      sql: expect.stringMatching(/^SELECT TOP \(@limit\) .*\[UserId\].* FROM \[dbo\]\.\[PartnerUsers\] WHERE \[PartnerId\] IN \(SELECT CONVERT\(int, \[value\]\) FROM STRING_SPLIT\(@partnerIds, ','\)\) AND \[UserId\] > @after AND \[RowVer\] <= CONVERT\(binary\(8\), CONVERT\(bigint, @watermark\)\) ORDER BY \[UserId\]$/),
      params: [
        { name: 'limit', type: 'Int', value: 500 }, { name: 'partnerIds', type: 'NVarCharMax', value: '2,5' },
        { name: 'after', type: 'Int', value: 40 }, { name: 'watermark', type: 'VarChar', value: '8' },
      ],
    });
  });
});
