import { buildReadWatermarkQuery } from '../../../src/extract/mssql/sql/read-watermark';
import { buildListPartnerIdsQuery } from '../../../src/extract/mssql/sql/list-partner-ids';
import { buildReadPartnerQuery } from '../../../src/extract/mssql/sql/read-partner';
import {
  buildCustomerPageQuery, buildInvoicePageQuery, buildOrderPageQuery, buildUserPageQuery,
} from '../../../src/extract/mssql/sql/read-partner-rows-page';
import { buildInvoiceLinesQuery, buildOrderLinesQuery } from '../../../src/extract/mssql/sql/read-lines-of-parents';
import { buildPartitionBoundsQuery } from '../../../src/extract/mssql/sql/read-partition-bounds';
import { buildCountPartnerRowsQuery } from '../../../src/extract/mssql/sql/count-partner-rows';
import { buildCountRowsByPartnerQueries } from '../../../src/extract/mssql/sql/count-rows-by-partner';
import { buildUpdatePortalModeQuery } from '../../../src/extract/mssql/sql/update-portal-mode';
import { buildCreateDatabaseQuery } from '../../../src/extract/mssql/sql/create-database';
import { buildHasTableQuery } from '../../../src/extract/mssql/sql/has-table';
import { DROP_LEGACY_SCHEMA_SQL } from '../../../src/extract/mssql/sql/drop-legacy-schema';
import { splitBatches } from '../../../src/extract/mssql/sql/apply-ddl';
import {
  buildCreateStageSql, buildInsertFromStageSql, insertColumns, toStageText,
} from '../../../src/extract/mssql/sql/insert-rows';
import { COLUMNS, selectExpression } from '../../../src/extract/mssql/columns';
import { ContractViolationError } from '../../../src/core/errors';
import { describeMssqlUrl, mssqlPoolConfig } from '../../../src/extract/mssql/connect';

const WM = '[RowVer] <= CONVERT(binary(8), CONVERT(bigint, @watermark))';
const wmParam = (value: string) => ({ name: 'watermark', type: 'VarChar', value });

describe('SQL Server statements', () => {
  it('reads the watermark from MIN_ACTIVE_ROWVERSION, as decimal text', () => {
    expect(buildReadWatermarkQuery()).toEqual({
      sql: 'SELECT CONVERT(varchar(20), CONVERT(bigint, MIN_ACTIVE_ROWVERSION()) - 1) AS [watermark]',
      params: [],
    });
  });

  it('selects every value the driver would mangle as text in a fixed style', () => {
    expect(selectExpression({ name: 'TotalAmount', kind: 'money' })).toBe('CONVERT(varchar(40), [TotalAmount], 2) AS [TotalAmount]');
    expect(selectExpression({ name: 'TaxRate', kind: 'decimal' }, 'l')).toBe('CONVERT(varchar(40), l.[TaxRate]) AS [TaxRate]');
    expect(selectExpression({ name: 'OrderDate', kind: 'local' })).toBe('CONVERT(char(23), [OrderDate], 121) AS [OrderDate]');
    expect(selectExpression({ name: 'ModifiedAtUtc', kind: 'utc' })).toBe('CONVERT(char(23), [ModifiedAtUtc], 121) AS [ModifiedAtUtc]');
    expect(selectExpression({ name: 'InvoiceDate', kind: 'date' })).toBe('CONVERT(char(10), [InvoiceDate], 23) AS [InvoiceDate]');
    expect(selectExpression({ name: 'TenantId', kind: 'guid' })).toBe('CONVERT(char(36), [TenantId]) AS [TenantId]');
    expect(selectExpression({ name: 'RowVer', kind: 'rowver' })).toBe('CONVERT(varchar(20), CONVERT(bigint, [RowVer])) AS [RowVer]');
    expect(selectExpression({ name: 'IsDeleted', kind: 'bool' })).toBe('[IsDeleted]');
    expect(selectExpression({ name: 'LineNo', kind: 'int' }, 'l')).toBe('l.[LineNo]');
  });

  it('lists partner ids, optionally by a JSON id list and TOP', () => {
    expect(buildListPartnerIdsQuery()).toEqual({ sql: 'SELECT [PartnerId] FROM [dbo].[Partners] ORDER BY [PartnerId]', params: [] });
    expect(buildListPartnerIdsQuery({ ids: [3, 1], limit: 5 })).toEqual({
      sql: 'SELECT TOP (@limit) [PartnerId] FROM [dbo].[Partners] WHERE [PartnerId] IN (SELECT CONVERT(int, [value]) FROM OPENJSON(@ids)) ORDER BY [PartnerId]',
      params: [{ name: 'limit', type: 'Int', value: 5 }, { name: 'ids', type: 'NVarCharMax', value: '[3,1]' }],
    });
  });

  it('reads one partner at the watermark', () => {
    const query = buildReadPartnerQuery(7, '123');
    expect(query.sql).toBe(
      'SELECT [PartnerId], [PartnerCode], [CompanyName], [LegalName], [CountryCode], [CurrencyCode], [MpnId], [TaxId], [AddressLine1], [City], [PostalCode], [PrimaryEmail], [Status], [PortalMode], '
      + 'CONVERT(char(23), [CreatedAt], 121) AS [CreatedAt], CONVERT(char(23), [ModifiedAtUtc], 121) AS [ModifiedAtUtc], CONVERT(varchar(20), CONVERT(bigint, [RowVer])) AS [RowVer] '
      + `FROM [dbo].[Partners] WHERE [PartnerId] = @partnerId AND ${WM}`,
    );
    expect(query.params).toEqual([{ name: 'partnerId', type: 'Int', value: 7 }, wmParam('123')]);
  });

  it('builds the order page as a TOP keyset over (after, upTo]', () => {
    expect(buildOrderPageQuery(7, { after: 100, upTo: 200 }, '18446744073709551', 5000)).toEqual({
      sql: 'SELECT TOP (@limit) [OrderId], [OrderNumber], [PartnerId], [CustomerId], [OrderType], [Status], CONVERT(char(23), [OrderDate], 121) AS [OrderDate], [CurrencyCode], '
        + 'CONVERT(varchar(40), [TotalAmount], 2) AS [TotalAmount], [PoNumber], [CreatedBy], CONVERT(char(23), [ModifiedAtUtc], 121) AS [ModifiedAtUtc], '
        + 'CONVERT(varchar(20), CONVERT(bigint, [RowVer])) AS [RowVer] '
        + `FROM [dbo].[Orders] WHERE [PartnerId] = @partnerId AND [OrderId] > @after AND [OrderId] <= @upTo AND ${WM} ORDER BY [OrderId]`,
      params: [
        { name: 'limit', type: 'Int', value: 5000 }, { name: 'partnerId', type: 'Int', value: 7 },
        { name: 'after', type: 'Int', value: 100 }, { name: 'upTo', type: 'Int', value: 200 }, wmParam('18446744073709551'),
      ],
    });
  });

  it('leaves out open bounds', () => {
    const query = buildUserPageQuery(1, undefined, '5', 10);
    expect(query.sql).toBe(
      'SELECT TOP (@limit) [UserId], [PartnerId], [Email], [FirstName], [LastName], [Role], [IsPrimary], [IsActive], CONVERT(char(23), [LastLoginAt], 121) AS [LastLoginAt], '
      + 'CONVERT(char(23), [ModifiedAtUtc], 121) AS [ModifiedAtUtc], CONVERT(varchar(20), CONVERT(bigint, [RowVer])) AS [RowVer] '
      + `FROM [dbo].[PartnerUsers] WHERE [PartnerId] = @partnerId AND ${WM} ORDER BY [UserId]`,
    );
    expect(query.params.map((p) => p.name)).toEqual(['limit', 'partnerId', 'watermark']);
    expect(buildCustomerPageQuery(1, { after: 3 }, '5', 10).sql).toBe(
      'SELECT TOP (@limit) [CustomerId], [PartnerId], [CustomerName], CONVERT(char(36), [TenantId]) AS [TenantId], [PrimaryDomain], [CountryCode], [City], [ContactEmail], [IsDeleted], '
      + 'CONVERT(char(23), [CreatedAt], 121) AS [CreatedAt], CONVERT(char(23), [ModifiedAtUtc], 121) AS [ModifiedAtUtc], CONVERT(varchar(20), CONVERT(bigint, [RowVer])) AS [RowVer] '
      + `FROM [dbo].[Customers] WHERE [PartnerId] = @partnerId AND [CustomerId] > @after AND ${WM} ORDER BY [CustomerId]`,
    );
    expect(buildInvoicePageQuery(1, { upTo: 9 }, '5', 10).sql).toBe(
      'SELECT TOP (@limit) [InvoiceId], [InvoiceNumber], [PartnerId], [DocumentType], CONVERT(char(10), [InvoiceDate], 23) AS [InvoiceDate], CONVERT(char(10), [DueDate], 23) AS [DueDate], '
      + '[CurrencyCode], CONVERT(varchar(40), [NetAmount], 2) AS [NetAmount], CONVERT(varchar(40), [TaxAmount], 2) AS [TaxAmount], CONVERT(varchar(40), [GrossAmount], 2) AS [GrossAmount], '
      + '[Status], CONVERT(char(23), [ModifiedAtUtc], 121) AS [ModifiedAtUtc], CONVERT(varchar(20), CONVERT(bigint, [RowVer])) AS [RowVer] '
      + `FROM [dbo].[Invoices] WHERE [PartnerId] = @partnerId AND [InvoiceId] <= @upTo AND ${WM} ORDER BY [InvoiceId]`,
    );
  });

  it('reads the lines of a page of orders in one join, bounded on the parent key', () => {
    expect(buildOrderLinesQuery(7, { after: 100, upTo: 200 }, '42')).toEqual({
      sql: 'SELECT l.[OrderLineId], l.[OrderId], l.[LineNo], l.[Sku], l.[ProductName], l.[Quantity], CONVERT(varchar(40), l.[UnitPrice], 2) AS [UnitPrice], '
        + 'CONVERT(varchar(40), l.[LineTotal], 2) AS [LineTotal], l.[BillingFrequency], l.[TermMonths], l.[SubscriptionRef], CONVERT(char(23), l.[ModifiedAtUtc], 121) AS [ModifiedAtUtc], '
        + 'CONVERT(varchar(20), CONVERT(bigint, l.[RowVer])) AS [RowVer] '
        + 'FROM [dbo].[OrderLines] AS l JOIN [dbo].[Orders] AS p ON p.[OrderId] = l.[OrderId] '
        + 'WHERE p.[PartnerId] = @partnerId AND p.[OrderId] > @after AND p.[OrderId] <= @upTo AND l.[RowVer] <= CONVERT(binary(8), CONVERT(bigint, @watermark)) '
        + 'ORDER BY l.[OrderId], l.[OrderLineId]',
      params: [{ name: 'partnerId', type: 'Int', value: 7 }, { name: 'after', type: 'Int', value: 100 }, { name: 'upTo', type: 'Int', value: 200 }, wmParam('42')],
    });
    expect(buildInvoiceLinesQuery(7, {}, '42').sql).toBe(
      'SELECT l.[InvoiceLineId], l.[InvoiceId], l.[OrderId], l.[CustomerId], l.[Description], CONVERT(varchar(40), l.[Quantity]) AS [Quantity], '
      + 'CONVERT(varchar(40), l.[UnitPrice], 2) AS [UnitPrice], CONVERT(varchar(40), l.[Amount], 2) AS [Amount], CONVERT(varchar(40), l.[TaxRate]) AS [TaxRate], '
      + 'CONVERT(char(23), l.[ModifiedAtUtc], 121) AS [ModifiedAtUtc], CONVERT(varchar(20), CONVERT(bigint, l.[RowVer])) AS [RowVer] '
      + 'FROM [dbo].[InvoiceLines] AS l JOIN [dbo].[Invoices] AS p ON p.[InvoiceId] = l.[InvoiceId] '
      + 'WHERE p.[PartnerId] = @partnerId AND l.[RowVer] <= CONVERT(binary(8), CONVERT(bigint, @watermark)) ORDER BY l.[InvoiceId], l.[InvoiceLineId]',
    );
  });

  it('computes partition bounds with ROW_NUMBER, leaving out the last key', () => {
    expect(buildPartitionBoundsQuery('invoice', 7, '42', 20000)).toEqual({
      sql: 'SELECT [k] FROM (SELECT [InvoiceId] AS [k], ROW_NUMBER() OVER (ORDER BY [InvoiceId]) AS [rn], COUNT(*) OVER () AS [total] '
        + `FROM [dbo].[Invoices] WHERE [PartnerId] = @partnerId AND ${WM}) AS [numbered] WHERE [rn] % @every = 0 AND [rn] < [total] ORDER BY [k]`,
      params: [{ name: 'partnerId', type: 'Int', value: 7 }, wmParam('42'), { name: 'every', type: 'Int', value: 20000 }],
    });
  });

  it('counts many partners with one grouped statement per table, the ids split on the server', () => {
    const queries = buildCountRowsByPartnerQueries([3, 7], '42');
    expect(queries.map((q) => q.entity)).toEqual(['partner', 'user', 'customer', 'order', 'order_line', 'invoice', 'invoice_line']);
    const ids = "SELECT CONVERT(int, [value]) FROM STRING_SPLIT(@partnerIds, ',')";
    expect(queries[3].query.sql).toBe(`SELECT [PartnerId] AS [p], COUNT(*) AS [n] FROM [dbo].[Orders] WHERE [PartnerId] IN (${ids}) AND ${WM} GROUP BY [PartnerId]`);
    expect(queries[4].query.sql).toBe(
      'SELECT p.[PartnerId] AS [p], COUNT(*) AS [n] FROM [dbo].[OrderLines] AS l JOIN [dbo].[Orders] AS p ON p.[OrderId] = l.[OrderId]'
      + ` WHERE p.[PartnerId] IN (${ids}) AND l.${WM} GROUP BY p.[PartnerId]`,
    );
    expect(queries[0].query.params).toEqual([
      // NVARCHAR(MAX): a VARCHAR(40) parameter would cut a long id list short.
      { name: 'partnerIds', type: 'NVarCharMax', value: '3,7' }, { name: 'watermark', type: 'VarChar', value: '42' },
    ]);
  });

  it('counts a partner in one statement, binding each parameter once', () => {
    const query = buildCountPartnerRowsQuery(7, '42');
    expect(query.sql).toBe(
      `SELECT (SELECT COUNT(*) FROM [dbo].[Partners] WHERE [PartnerId] = @partnerId AND ${WM}) AS [partner], `
      + `(SELECT COUNT(*) FROM [dbo].[PartnerUsers] WHERE [PartnerId] = @partnerId AND ${WM}) AS [user], `
      + `(SELECT COUNT(*) FROM [dbo].[Customers] WHERE [PartnerId] = @partnerId AND ${WM}) AS [customer], `
      + `(SELECT COUNT(*) FROM [dbo].[Orders] WHERE [PartnerId] = @partnerId AND ${WM}) AS [order], `
      + '(SELECT COUNT(*) FROM [dbo].[OrderLines] AS l JOIN [dbo].[Orders] AS p ON p.[OrderId] = l.[OrderId] WHERE p.[PartnerId] = @partnerId AND l.'
      + `${WM}) AS [order_line], `
      + `(SELECT COUNT(*) FROM [dbo].[Invoices] WHERE [PartnerId] = @partnerId AND ${WM}) AS [invoice], `
      + '(SELECT COUNT(*) FROM [dbo].[InvoiceLines] AS l JOIN [dbo].[Invoices] AS p ON p.[InvoiceId] = l.[InvoiceId] WHERE p.[PartnerId] = @partnerId AND l.'
      + `${WM}) AS [invoice_line]`,
    );
    expect(query.params).toEqual([{ name: 'partnerId', type: 'Int', value: 7 }, wmParam('42')]);
  });

  it('refuses a watermark that is not an unsigned integer', () => {
    for (const bad of ['', '-1', '1.5', '1e3', '12345678901234567890', "1; DROP TABLE x"]) {
      expect(() => buildOrderPageQuery(1, undefined, bad, 10)).toThrow(ContractViolationError);
    }
  });

  it('writes PortalMode only with a value the portal knows', () => {
    expect(buildUpdatePortalModeQuery(7, 'Archive')).toEqual({
      sql: 'UPDATE [dbo].[Partners] SET [PortalMode] = @mode WHERE [PartnerId] = @partnerId',
      params: [{ name: 'mode', type: 'VarChar', value: 'Archive' }, { name: 'partnerId', type: 'Int', value: 7 }],
    });
    expect(() => buildUpdatePortalModeQuery(7, 'archive' as never)).toThrow(ContractViolationError);
  });

  it('administers the schema with guarded statements', () => {
    expect(buildCreateDatabaseQuery('partner_portal')).toEqual({
      sql: "IF DB_ID(@database) IS NULL EXEC (N'CREATE DATABASE ' + QUOTENAME(@database))",
      params: [{ name: 'database', type: 'NVarCharMax', value: 'partner_portal' }],
    });
    expect(buildHasTableQuery('Partners').sql).toBe("SELECT CASE WHEN OBJECT_ID(N'dbo.' + @table, N'U') IS NULL THEN 0 ELSE 1 END AS [present]");
    expect(DROP_LEGACY_SCHEMA_SQL).toBe('DROP TABLE IF EXISTS [dbo].[InvoiceLines], [dbo].[Invoices], [dbo].[OrderLines], [dbo].[Orders], [dbo].[Customers], [dbo].[PartnerUsers], [dbo].[Partners]');
  });

  it('splits a script into batches on GO lines only', () => {
    expect(splitBatches('CREATE TABLE a (x int);\nGO\n-- comment only\ngo  \nCREATE INDEX IX_GOOD ON a (x);\n GO -- done\n')).toEqual([
      'CREATE TABLE a (x int);', 'CREATE INDEX IX_GOOD ON a (x);',
    ]);
  });

  it('stages rows as text and moves them with IDENTITY_INSERT and fixed date styles', () => {
    const rows = [{ OrderId: 1, OrderNumber: 'SO-1', PartnerId: 1, OrderType: 'New', Status: 'Completed', OrderDate: '2024-03-31 02:30:00.000', CurrencyCode: 'CHF', TotalAmount: '12.3456', ModifiedAtUtc: '2024-03-31T00:30:00.000Z', RowVer: '99' }];
    const columns = insertColumns('Orders', rows);
    expect(columns.map((c) => c.name)).toEqual(['OrderId', 'OrderNumber', 'PartnerId', 'OrderType', 'Status', 'OrderDate', 'CurrencyCode', 'TotalAmount', 'ModifiedAtUtc']);
    expect(buildCreateStageSql(columns.slice(0, 2))).toBe('CREATE TABLE #ppm_stage ([OrderId] nvarchar(4000) NULL, [OrderNumber] nvarchar(4000) NULL)');
    expect(buildInsertFromStageSql('Orders', columns)).toBe(
      'SET IDENTITY_INSERT [dbo].[Orders] ON; INSERT INTO [dbo].[Orders] ([OrderId], [OrderNumber], [PartnerId], [OrderType], [Status], [OrderDate], [CurrencyCode], [TotalAmount], [ModifiedAtUtc]) '
      + 'SELECT [OrderId], [OrderNumber], [PartnerId], [OrderType], [Status], CONVERT(datetime, [OrderDate], 121), [CurrencyCode], [TotalAmount], CONVERT(datetime2(3), [ModifiedAtUtc], 127) '
      + 'FROM #ppm_stage; SET IDENTITY_INSERT [dbo].[Orders] OFF',
    );
    expect(buildInsertFromStageSql('Orders', columns.slice(1))).not.toContain('IDENTITY_INSERT');
    expect(() => insertColumns('Orders', [{ Nope: 1 }])).toThrow(ContractViolationError);
  });

  it('turns contract values into staging text', () => {
    const col = (name: string) => COLUMNS.Customers.concat(COLUMNS.Invoices).find((c) => c.name === name)!;
    expect(toStageText(col('IsDeleted'), true)).toBe('1');
    expect(toStageText(col('IsDeleted'), false)).toBe('0');
    expect(toStageText(col('TenantId'), null)).toBeNull();
    expect(toStageText(col('CreatedAt'), '2024-01-02 03:04:05.678')).toBe('2024-01-02 03:04:05.678');
    expect(toStageText(col('CreatedAt'), new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)))).toBe('2024-01-02 03:04:05.006');
    expect(toStageText(col('ModifiedAtUtc'), '2024-01-02 03:04:05.678')).toBe('2024-01-02T03:04:05.678Z');
    expect(toStageText(col('ModifiedAtUtc'), new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)))).toBe('2024-01-02T03:04:05.006Z');
    expect(toStageText(col('InvoiceDate'), new Date(Date.UTC(2024, 1, 29)))).toBe('2024-02-29');
    expect(toStageText(col('NetAmount'), '-100.5000')).toBe('-100.5000');
    expect(toStageText(col('CustomerId'), 42)).toBe('42');
  });
});

describe('SQL Server connection options', () => {
  it('reads server, credentials and TLS flags from the URL', () => {
    expect(mssqlPoolConfig('mssql://sa:Str0ng%21@sql.example:14330/partner_portal?trustServerCertificate=true')).toMatchObject({
      server: 'sql.example', port: 14330, user: 'sa', password: 'Str0ng!', database: 'partner_portal',
      options: { encrypt: true, trustServerCertificate: true },
    });
    expect(mssqlPoolConfig('mssql://sa:x@h/db', { toMaster: true }).database).toBe('master');
    expect(describeMssqlUrl('mssql://sa:Str0ng@h:1433/db')).toBe('h:1433/db');
  });
});
