/**
 * The SQL each engine sends, pinned without a server. Statements of the shared reader are
 * pinned side by side, one call on every dialect (knex's `testsql`); what only one engine has
 * (its canonical text, staging, DDL batches) follows in a block per engine.
 */
import { ContractViolationError } from '../../../src/core/errors';
import type { EngineSql } from '../../../src/extract/engine-dialect';
import { MARIADB_DIALECT } from '../../../src/extract/mariadb';
import * as mariadbCanonical from '../../../src/extract/mariadb/sql/canonical-sql';
import { MSSQL_DIALECT } from '../../../src/extract/mssql';
import { splitBatches } from '../../../src/extract/mssql/sql/apply-ddl';
import * as mssqlCanonical from '../../../src/extract/mssql/sql/canonical-sql';
import { buildCreateDatabaseQuery } from '../../../src/extract/mssql/sql/create-database';
import { DROP_LEGACY_SCHEMA_SQL, DROP_PORTAL_MARKER_SQL } from '../../../src/extract/mssql/sql/drop-legacy-schema';
import { CREATE_PORTAL_MARKER_QUERIES } from '../../../src/extract/mssql/sql/portal-marker';
import { buildHasTableQuery } from '../../../src/extract/mssql/sql/has-table';
import {
  buildCreateStageSql,
  buildInsertFromStageSql,
  insertColumns,
  toStageText,
} from '../../../src/extract/mssql/sql/insert-rows';
import { buildCreateDatabaseSql } from '../../../src/extract/mariadb/sql/create-database';
import { DROP_LEGACY_SCHEMA_SQL as MARIADB_DROP_LEGACY_SCHEMA_SQL } from '../../../src/extract/mariadb/sql/drop-legacy-schema';
import { buildHasTableQuery as buildMariaDbHasTableQuery } from '../../../src/extract/mariadb/sql/has-table';
import { CREATE_PORTAL_MARKER_QUERIES as MARIADB_CREATE_PORTAL_MARKER_QUERIES } from '../../../src/extract/mariadb/sql/portal-marker';
import { buildInsertRowsQuery, toMariaDbValue } from '../../../src/extract/mariadb/sql/insert-rows';
import { COLUMNS, selectExpression } from '../../../src/extract/mssql/columns';
import { SERVER_SUPPORT_SQL, serverSupportProblem } from '../../../src/extract/mssql/connect';

interface Statement {
  sql: string;
  params: unknown[];
}

type Dialect = 'mariadb' | 'mssql';
const DIALECTS: Record<Dialect, EngineSql<never, Statement>> = {
  mariadb: MARIADB_DIALECT.sql,
  mssql: MSSQL_DIALECT.sql,
};

/** Per dialect: the statement it builds (compared whole, matchers allowed), or checks given the call to make. */
type Expected = Record<Dialect, unknown>;

/** One call, made on every dialect; a function expectation receives the call instead of its result. */
function testsql(title: string, call: (sql: EngineSql<never, Statement>) => unknown, expected: Expected): void {
  it.each(Object.keys(DIALECTS) as Dialect[])(`${title} (%s)`, (dialect) => {
    const build = () => call(DIALECTS[dialect]);
    const want = expected[dialect];
    if (typeof want === 'function') (want as (build: () => unknown) => void)(build);
    else expect(build()).toEqual(want);
  });
}

/** The built statement, for the checks that look at parts of it. */
const statement = (build: () => unknown) => build() as Statement;

const MWM = '`RowVer` <= CAST(? AS UNSIGNED)';
const WM = '[RowVer] <= CONVERT(binary(8), CONVERT(bigint, @watermark))';
const wmParam = (value: string) => ({ name: 'watermark', type: 'VarChar', value });
const int = (name: string, value: number) => ({ name, type: 'Int', value });
/** Ids as SQL Server reads them from one XML parameter (no STRING_SPLIT or OPENJSON, which need level 130). */
const XML_IDS = (name: string) =>
  `SELECT [ids].[i].value('(text())[1]', 'int') FROM (SELECT CONVERT(xml, @${name}) AS [d]) AS [x] ` +
  "CROSS APPLY [x].[d].nodes('/i') AS [ids]([i])";
const SPLIT_IDS = XML_IDS('partnerIds');
const xmlIds = (...ids: number[]) => ids.map((id) => `<i>${id}</i>`).join('');
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Each dialect's select list of a table, as the statements below embed it. */
const LIST = {
  mariadb: {
    Partners:
      '`PartnerId`, `PartnerCode`, `CompanyName`, `LegalName`, `CountryCode`, `CurrencyCode`, `MpnId`, ' +
      '`TaxId`, ' +
      '`AddressLine1`, `City`, `PostalCode`, `PrimaryEmail`, `Status`, `PortalMode`, `CreatedAt`, `ModifiedAtUtc`, ' +
      '`RowVer`',
    PartnerUsers:
      '`UserId`, `PartnerId`, `Email`, `FirstName`, `LastName`, `Role`, `IsPrimary`, `IsActive`, ' +
      '`LastLoginAt`, ' +
      '`ModifiedAtUtc`, `RowVer`',
    Customers:
      '`CustomerId`, `PartnerId`, `CustomerName`, `TenantId`, `PrimaryDomain`, `CountryCode`, `City`, ' +
      '`ContactEmail`, ' +
      '`IsDeleted`, `CreatedAt`, `ModifiedAtUtc`, `RowVer`',
    Invoices:
      '`InvoiceId`, `InvoiceNumber`, `PartnerId`, `DocumentType`, `InvoiceDate`, `DueDate`, `CurrencyCode`, ' +
      '`NetAmount`, ' +
      '`TaxAmount`, `GrossAmount`, `Status`, `ModifiedAtUtc`, `RowVer`',
    Orders:
      '`OrderId`, `OrderNumber`, `PartnerId`, `CustomerId`, `OrderType`, `Status`, `OrderDate`, `CurrencyCode`, ' +
      '`TotalAmount`, `PoNumber`, `CreatedBy`, `ModifiedAtUtc`, `RowVer`',
    OrderLines:
      'l.`OrderLineId`, l.`OrderId`, l.`LineNo`, l.`Sku`, l.`ProductName`, l.`Quantity`, l.`UnitPrice`, ' +
      'l.`LineTotal`, ' +
      'l.`BillingFrequency`, l.`TermMonths`, l.`SubscriptionRef`, l.`ModifiedAtUtc`, l.`RowVer`',
    InvoiceLines:
      'l.`InvoiceLineId`, l.`InvoiceId`, l.`OrderId`, l.`CustomerId`, l.`Description`, l.`Quantity`, ' +
      'l.`UnitPrice`, ' +
      'l.`Amount`, l.`TaxRate`, l.`ModifiedAtUtc`, l.`RowVer`',
  },
  mssql: {
    Partners:
      '[PartnerId], [PartnerCode], [CompanyName], [LegalName], [CountryCode], [CurrencyCode], [MpnId], ' +
      '[TaxId], ' +
      '[AddressLine1], [City], [PostalCode], [PrimaryEmail], [Status], [PortalMode], ' +
      'CONVERT(char(23), [CreatedAt], 121) AS [CreatedAt], CONVERT(char(23), [ModifiedAtUtc], 121) AS ' +
      '[ModifiedAtUtc], ' +
      'CONVERT(varchar(20), CONVERT(bigint, [RowVer])) AS [RowVer]',
    PartnerUsers:
      '[UserId], [PartnerId], [Email], [FirstName], [LastName], [Role], [IsPrimary], [IsActive], ' +
      'CONVERT(char(23), [LastLoginAt], 121) AS [LastLoginAt], CONVERT(char(23), [ModifiedAtUtc], 121) AS ' +
      '[ModifiedAtUtc], ' +
      'CONVERT(varchar(20), CONVERT(bigint, [RowVer])) AS [RowVer]',
    Customers:
      '[CustomerId], [PartnerId], [CustomerName], CONVERT(char(36), [TenantId]) AS [TenantId], ' +
      '[PrimaryDomain], ' +
      '[CountryCode], [City], [ContactEmail], [IsDeleted], CONVERT(char(23), [CreatedAt], 121) AS [CreatedAt], ' +
      'CONVERT(char(23), [ModifiedAtUtc], 121) AS [ModifiedAtUtc], CONVERT(varchar(20), CONVERT(bigint, [RowVer])) ' +
      'AS [RowVer]',
    Invoices:
      '[InvoiceId], [InvoiceNumber], [PartnerId], [DocumentType], CONVERT(char(10), [InvoiceDate], 23) AS ' +
      '[InvoiceDate], ' +
      'CONVERT(char(10), [DueDate], 23) AS [DueDate], [CurrencyCode], CONVERT(varchar(40), [NetAmount], 2) AS ' +
      '[NetAmount], ' +
      'CONVERT(varchar(40), [TaxAmount], 2) AS [TaxAmount], CONVERT(varchar(40), [GrossAmount], 2) AS [GrossAmount], ' +
      '[Status], CONVERT(char(23), [ModifiedAtUtc], 121) AS [ModifiedAtUtc], CONVERT(varchar(20), CONVERT(bigint, ' +
      '[RowVer])) AS [RowVer]',
    Orders:
      '[OrderId], [OrderNumber], [PartnerId], [CustomerId], [OrderType], [Status], ' +
      'CONVERT(char(23), [OrderDate], 121) AS [OrderDate], [CurrencyCode], CONVERT(varchar(40), [TotalAmount], 2) ' +
      'AS [TotalAmount], ' +
      '[PoNumber], [CreatedBy], CONVERT(char(23), [ModifiedAtUtc], 121) AS [ModifiedAtUtc], ' +
      'CONVERT(varchar(20), CONVERT(bigint, [RowVer])) AS [RowVer]',
    OrderLines:
      'l.[OrderLineId], l.[OrderId], l.[LineNo], l.[Sku], l.[ProductName], l.[Quantity], ' +
      'CONVERT(varchar(40), l.[UnitPrice], 2) AS [UnitPrice], CONVERT(varchar(40), l.[LineTotal], 2) AS [LineTotal], ' +
      'l.[BillingFrequency], l.[TermMonths], l.[SubscriptionRef], CONVERT(char(23), l.[ModifiedAtUtc], 121) AS ' +
      '[ModifiedAtUtc], ' +
      'CONVERT(varchar(20), CONVERT(bigint, l.[RowVer])) AS [RowVer]',
    InvoiceLines:
      'l.[InvoiceLineId], l.[InvoiceId], l.[OrderId], l.[CustomerId], l.[Description], ' +
      'CONVERT(varchar(40), l.[Quantity]) AS [Quantity], CONVERT(varchar(40), l.[UnitPrice], 2) AS [UnitPrice], ' +
      'CONVERT(varchar(40), l.[Amount], 2) AS [Amount], CONVERT(varchar(40), l.[TaxRate]) AS [TaxRate], ' +
      'CONVERT(char(23), l.[ModifiedAtUtc], 121) AS [ModifiedAtUtc], CONVERT(varchar(20), CONVERT(bigint, ' +
      'l.[RowVer])) AS [RowVer]',
  },
};
const M = LIST.mariadb;
const S = LIST.mssql;

describe('statements of the shared reader, side by side', () => {
  testsql(
    'reads the watermark, MariaDB from the sequence without NEXTVAL, SQL Server from MIN_ACTIVE_ROWVERSION',
    (sql) => sql.buildReadWatermarkQuery(),
    {
      mariadb: (build: () => unknown) => {
        expect(statement(build).sql).toBe(
          'SELECT CAST(next_not_cached_value - 1 AS UNSIGNED) AS watermark FROM RowVerSeq',
        );
        expect(statement(build).sql).not.toMatch(/NEXTVAL/i);
        expect(statement(build).params).toEqual([]);
      },
      mssql: {
        sql: 'SELECT CONVERT(varchar(20), CONVERT(bigint, MIN_ACTIVE_ROWVERSION()) - 1) AS [watermark]',
        params: [],
      },
    },
  );

  testsql('lists every partner id in key order', (sql) => sql.buildListPartnerIdsQuery(), {
    mariadb: { sql: 'SELECT `PartnerId` FROM `Partners` ORDER BY `PartnerId`', params: [] },
    mssql: { sql: 'SELECT [PartnerId] FROM [dbo].[Partners] ORDER BY [PartnerId]', params: [] },
  });

  const XML_ID_LIST = `IN (${XML_IDS('ids')})`;
  testsql(
    'lists the given ids, the first few (an id array; an XML list and TOP)',
    (sql) => sql.buildListPartnerIdsQuery({ ids: [3, 1], limit: 5 }),
    {
      mariadb: {
        sql: 'SELECT `PartnerId` FROM `Partners` WHERE `PartnerId` IN (?) ORDER BY `PartnerId` LIMIT ' + '?',
        params: [[3, 1], 5],
      },
      mssql: {
        sql:
          `SELECT TOP (@limit) [PartnerId] FROM [dbo].[Partners] WHERE [PartnerId] ${XML_ID_LIST} ORDER BY ` +
          `[PartnerId]`,
        params: [
          { name: 'limit', type: 'Int', value: 5 },
          { name: 'ids', type: 'NVarCharMax', value: xmlIds(3, 1) },
        ],
      },
    },
  );

  testsql(
    'lists the given ids, the first few, another call',
    (sql) => sql.buildListPartnerIdsQuery({ ids: [1, 2], limit: 3 }),
    {
      mariadb: {
        sql: 'SELECT `PartnerId` FROM `Partners` WHERE `PartnerId` IN (?) ORDER BY `PartnerId` LIMIT ' + '?',
        params: [[1, 2], 3],
      },
      mssql: {
        sql:
          `SELECT TOP (@limit) [PartnerId] FROM [dbo].[Partners] WHERE [PartnerId] ${XML_ID_LIST} ORDER BY ` +
          `[PartnerId]`,
        params: [int('limit', 3), { name: 'ids', type: 'NVarCharMax', value: xmlIds(1, 2) }],
      },
    },
  );

  testsql('reads one partner at the watermark', (sql) => sql.buildReadPartnerQuery(7, '123'), {
    mariadb: { sql: `SELECT ${M.Partners} FROM \`Partners\` WHERE \`PartnerId\` = ? AND ${MWM}`, params: [7, '123'] },
    mssql: (build: () => unknown) => {
      const query = statement(build);
      expect(query.sql).toBe(
        'SELECT [PartnerId], [PartnerCode], [CompanyName], [LegalName], [CountryCode], [CurrencyCode], [MpnId], ' +
          '[TaxId], ' +
          '[AddressLine1], [City], [PostalCode], [PrimaryEmail], [Status], [PortalMode], ' +
          'CONVERT(char(23), [CreatedAt], 121) AS [CreatedAt], CONVERT(char(23), [ModifiedAtUtc], 121) AS ' +
          '[ModifiedAtUtc], ' +
          'CONVERT(varchar(20), CONVERT(bigint, [RowVer])) AS [RowVer] ' +
          `FROM [dbo].[Partners] WHERE [PartnerId] = @partnerId AND ${WM}`,
      );
      expect(query.params).toEqual([{ name: 'partnerId', type: 'Int', value: 7 }, wmParam('123')]);
    },
  });

  testsql(
    'builds a keyset page over (after, upTo] without OFFSET, the watermark compared exactly',
    (sql) => sql.buildPartnerRowsPageQuery('Orders', 7, { after: 10, upTo: 20 }, '42', 500),
    {
      mariadb: {
        sql:
          'SELECT `OrderId`, `OrderNumber`, `PartnerId`, `CustomerId`, `OrderType`, `Status`, `OrderDate`, ' +
          '`CurrencyCode`, ' +
          '`TotalAmount`, `PoNumber`, `CreatedBy`, `ModifiedAtUtc`, `RowVer` ' +
          'FROM `Orders` WHERE `PartnerId` = ? AND `OrderId` > ? AND `OrderId` <= ? AND `RowVer` <= CAST(? AS ' +
          'UNSIGNED) ' +
          'ORDER BY `OrderId` LIMIT ?',
        params: [7, 10, 20, '42', 500],
      },
      mssql: {
        sql:
          `SELECT TOP (@limit) ${S.Orders} ` +
          `FROM [dbo].[Orders] WHERE [PartnerId] = @partnerId AND [OrderId] > @after AND [OrderId] <= @upTo AND ` +
          `${WM} ORDER BY [OrderId]`,
        params: [int('limit', 500), int('partnerId', 7), int('after', 10), int('upTo', 20), wmParam('42')],
      },
    },
  );

  testsql(
    'builds the order page with a watermark beyond a double',
    (sql) => sql.buildPartnerRowsPageQuery('Orders', 7, { after: 100, upTo: 200 }, '18446744073709551', 5000),
    {
      mariadb: {
        sql:
          `SELECT ${M.Orders} FROM \`Orders\` WHERE \`PartnerId\` = ? AND \`OrderId\` > ? AND \`OrderId\` <= ? AND ` +
          `${MWM} ` +
          'ORDER BY `OrderId` LIMIT ?',
        params: [7, 100, 200, '18446744073709551', 5000],
      },
      mssql: {
        sql:
          'SELECT TOP (@limit) [OrderId], [OrderNumber], [PartnerId], [CustomerId], [OrderType], [Status], ' +
          'CONVERT(char(23), [OrderDate], 121) AS [OrderDate], [CurrencyCode], ' +
          'CONVERT(varchar(40), [TotalAmount], 2) AS [TotalAmount], [PoNumber], [CreatedBy], ' +
          'CONVERT(char(23), [ModifiedAtUtc], 121) AS [ModifiedAtUtc], ' +
          'CONVERT(varchar(20), CONVERT(bigint, [RowVer])) AS [RowVer] ' +
          `FROM [dbo].[Orders] WHERE [PartnerId] = @partnerId AND [OrderId] > @after AND [OrderId] <= @upTo AND ` +
          `${WM} ORDER BY [OrderId]`,
        params: [
          { name: 'limit', type: 'Int', value: 5000 },
          { name: 'partnerId', type: 'Int', value: 7 },
          { name: 'after', type: 'Int', value: 100 },
          { name: 'upTo', type: 'Int', value: 200 },
          wmParam('18446744073709551'),
        ],
      },
    },
  );

  testsql('leaves out open bounds', (sql) => sql.buildPartnerRowsPageQuery('PartnerUsers', 1, undefined, '5', 10), {
    mariadb: {
      sql:
        `SELECT ${M.PartnerUsers} FROM \`PartnerUsers\` WHERE \`PartnerId\` = ? AND ${MWM} ORDER BY \`UserId\` ` +
        `LIMIT ?`,
      params: [1, '5', 10],
    },
    mssql: (build: () => unknown) => {
      const query = statement(build);
      expect(query.sql).toBe(
        'SELECT TOP (@limit) [UserId], [PartnerId], [Email], [FirstName], [LastName], [Role], [IsPrimary], [IsActive], ' +
          'CONVERT(char(23), [LastLoginAt], 121) AS [LastLoginAt], ' +
          'CONVERT(char(23), [ModifiedAtUtc], 121) AS [ModifiedAtUtc], CONVERT(varchar(20), CONVERT(bigint, ' +
          '[RowVer])) AS [RowVer] ' +
          `FROM [dbo].[PartnerUsers] WHERE [PartnerId] = @partnerId AND ${WM} ORDER BY [UserId]`,
      );
      expect(query.params.map((p) => (p as { name: string }).name)).toEqual(['limit', 'partnerId', 'watermark']);
    },
  });

  testsql(
    'pages without OFFSET and, from the start, without a lower bound',
    (sql) => sql.buildPartnerRowsPageQuery('PartnerUsers', 7, undefined, '42', 5),
    {
      mariadb: (build: () => unknown) => expect(statement(build).sql).not.toMatch(/OFFSET|> \?/),
      mssql: (build: () => unknown) => expect(statement(build).sql).not.toMatch(/OFFSET|> @after/),
    },
  );

  testsql(
    'bounds a page from below only',
    (sql) => sql.buildPartnerRowsPageQuery('Customers', 1, { after: 3 }, '5', 10),
    {
      mariadb: {
        sql:
          `SELECT ${M.Customers} FROM \`Customers\` WHERE \`PartnerId\` = ? AND \`CustomerId\` > ? AND ${MWM} ` +
          'ORDER BY `CustomerId` LIMIT ?',
        params: [1, 3, '5', 10],
      },
      mssql: (build: () => unknown) =>
        expect(statement(build).sql).toBe(
          'SELECT TOP (@limit) [CustomerId], [PartnerId], [CustomerName], CONVERT(char(36), [TenantId]) AS [TenantId], ' +
            '[PrimaryDomain], [CountryCode], [City], [ContactEmail], [IsDeleted], ' +
            'CONVERT(char(23), [CreatedAt], 121) AS [CreatedAt], CONVERT(char(23), [ModifiedAtUtc], 121) AS ' +
            '[ModifiedAtUtc], ' +
            'CONVERT(varchar(20), CONVERT(bigint, [RowVer])) AS [RowVer] ' +
            `FROM [dbo].[Customers] WHERE [PartnerId] = @partnerId AND [CustomerId] > @after AND ${WM} ORDER BY ` +
            `[CustomerId]`,
        ),
    },
  );

  testsql(
    'bounds a page from above only',
    (sql) => sql.buildPartnerRowsPageQuery('Invoices', 1, { upTo: 9 }, '5', 10),
    {
      mariadb: {
        sql:
          `SELECT ${M.Invoices} FROM \`Invoices\` WHERE \`PartnerId\` = ? AND \`InvoiceId\` <= ? AND ${MWM} ` +
          'ORDER BY `InvoiceId` LIMIT ?',
        params: [1, 9, '5', 10],
      },
      mssql: (build: () => unknown) =>
        expect(statement(build).sql).toBe(
          'SELECT TOP (@limit) [InvoiceId], [InvoiceNumber], [PartnerId], [DocumentType], ' +
            'CONVERT(char(10), [InvoiceDate], 23) AS [InvoiceDate], CONVERT(char(10), [DueDate], 23) AS [DueDate], ' +
            '[CurrencyCode], CONVERT(varchar(40), [NetAmount], 2) AS [NetAmount], CONVERT(varchar(40), [TaxAmount], 2) ' +
            'AS [TaxAmount], ' +
            'CONVERT(varchar(40), [GrossAmount], 2) AS [GrossAmount], ' +
            '[Status], CONVERT(char(23), [ModifiedAtUtc], 121) AS [ModifiedAtUtc], CONVERT(varchar(20), CONVERT(bigint, ' +
            '[RowVer])) AS [RowVer] ' +
            `FROM [dbo].[Invoices] WHERE [PartnerId] = @partnerId AND [InvoiceId] <= @upTo AND ${WM} ORDER BY [InvoiceId]`,
        ),
    },
  );

  testsql(
    'quotes LineNo and bounds the lines on the parent key',
    (sql) => sql.buildLinesOfParentsQuery('OrderLines', 7, { after: 10 }, '42'),
    {
      mariadb: {
        sql:
          'SELECT l.`OrderLineId`, l.`OrderId`, l.`LineNo`, l.`Sku`, l.`ProductName`, l.`Quantity`, l.`UnitPrice`, ' +
          'l.`LineTotal`, l.`BillingFrequency`, l.`TermMonths`, l.`SubscriptionRef`, l.`ModifiedAtUtc`, l.`RowVer` ' +
          'FROM `OrderLines` l JOIN `Orders` p ON p.`OrderId` = l.`OrderId` WHERE p.`PartnerId` = ? AND p.`OrderId` ' +
          '> ? ' +
          'AND l.`RowVer` <= CAST(? AS UNSIGNED) ORDER BY l.`OrderId`, l.`OrderLineId`',
        params: [7, 10, '42'],
      },
      mssql: {
        sql:
          `SELECT ${S.OrderLines} FROM [dbo].[OrderLines] AS l JOIN [dbo].[Orders] AS p ON p.[OrderId] = l.[OrderId] ` +
          `WHERE p.[PartnerId] = @partnerId AND p.[OrderId] > @after AND l.${WM} ORDER BY l.[OrderId], l.[OrderLineId]`,
        params: [int('partnerId', 7), int('after', 10), wmParam('42')],
      },
    },
  );

  testsql(
    'reads the lines of a page of orders in one join, bounded on the parent key',
    (sql) => sql.buildLinesOfParentsQuery('OrderLines', 7, { after: 100, upTo: 200 }, '42'),
    {
      mariadb: {
        sql:
          `SELECT ${M.OrderLines} FROM \`OrderLines\` l JOIN \`Orders\` p ON p.\`OrderId\` = l.\`OrderId\` ` +
          `WHERE p.\`PartnerId\` = ? AND p.\`OrderId\` > ? AND p.\`OrderId\` <= ? AND l.${MWM} ORDER BY ` +
          `l.\`OrderId\`, l.\`OrderLineId\``,
        params: [7, 100, 200, '42'],
      },
      mssql: {
        sql:
          'SELECT l.[OrderLineId], l.[OrderId], l.[LineNo], l.[Sku], l.[ProductName], l.[Quantity], ' +
          'CONVERT(varchar(40), l.[UnitPrice], 2) AS [UnitPrice], ' +
          'CONVERT(varchar(40), l.[LineTotal], 2) AS [LineTotal], l.[BillingFrequency], l.[TermMonths], ' +
          'l.[SubscriptionRef], ' +
          'CONVERT(char(23), l.[ModifiedAtUtc], 121) AS [ModifiedAtUtc], ' +
          'CONVERT(varchar(20), CONVERT(bigint, l.[RowVer])) AS [RowVer] ' +
          'FROM [dbo].[OrderLines] AS l JOIN [dbo].[Orders] AS p ON p.[OrderId] = l.[OrderId] ' +
          'WHERE p.[PartnerId] = @partnerId AND p.[OrderId] > @after AND p.[OrderId] <= @upTo ' +
          'AND l.[RowVer] <= CONVERT(binary(8), CONVERT(bigint, @watermark)) ' +
          'ORDER BY l.[OrderId], l.[OrderLineId]',
        params: [
          { name: 'partnerId', type: 'Int', value: 7 },
          { name: 'after', type: 'Int', value: 100 },
          { name: 'upTo', type: 'Int', value: 200 },
          wmParam('42'),
        ],
      },
    },
  );

  testsql(
    'reads every line of the partner for an open range',
    (sql) => sql.buildLinesOfParentsQuery('InvoiceLines', 7, {}, '42'),
    {
      mariadb: {
        sql:
          `SELECT ${M.InvoiceLines} FROM \`InvoiceLines\` l JOIN \`Invoices\` p ON p.\`InvoiceId\` = l.\`InvoiceId\` ` +
          `WHERE p.\`PartnerId\` = ? AND l.${MWM} ORDER BY l.\`InvoiceId\`, l.\`InvoiceLineId\``,
        params: [7, '42'],
      },
      mssql: (build: () => unknown) =>
        expect(statement(build).sql).toBe(
          'SELECT l.[InvoiceLineId], l.[InvoiceId], l.[OrderId], l.[CustomerId], l.[Description], ' +
            'CONVERT(varchar(40), l.[Quantity]) AS [Quantity], ' +
            'CONVERT(varchar(40), l.[UnitPrice], 2) AS [UnitPrice], CONVERT(varchar(40), l.[Amount], 2) AS [Amount], ' +
            'CONVERT(varchar(40), l.[TaxRate]) AS [TaxRate], ' +
            'CONVERT(char(23), l.[ModifiedAtUtc], 121) AS [ModifiedAtUtc], CONVERT(varchar(20), CONVERT(bigint, ' +
            'l.[RowVer])) AS [RowVer] ' +
            'FROM [dbo].[InvoiceLines] AS l JOIN [dbo].[Invoices] AS p ON p.[InvoiceId] = l.[InvoiceId] ' +
            'WHERE p.[PartnerId] = @partnerId AND l.[RowVer] <= CONVERT(binary(8), CONVERT(bigint, @watermark)) ' +
            'ORDER BY l.[InvoiceId], l.[InvoiceLineId]',
        ),
    },
  );

  testsql(
    'computes partition bounds with ROW_NUMBER, leaving out the last key',
    (sql) => sql.buildPartitionBoundsQuery('order', 7, '42', 1000),
    {
      mariadb: {
        sql:
          'SELECT k FROM (SELECT `OrderId` AS k, ROW_NUMBER() OVER (ORDER BY `OrderId`) AS rn, COUNT(*) OVER () AS ' +
          'total ' +
          'FROM `Orders` WHERE `PartnerId` = ? AND `RowVer` <= CAST(? AS UNSIGNED)) numbered ' +
          'WHERE rn % ? = 0 AND rn < total ORDER BY k',
        params: [7, '42', 1000],
      },
      mssql: {
        sql:
          'SELECT [k] FROM (SELECT [OrderId] AS [k], ROW_NUMBER() OVER (ORDER BY [OrderId]) AS [rn], COUNT(*) OVER ' +
          '() AS [total] ' +
          `FROM [dbo].[Orders] WHERE [PartnerId] = @partnerId AND ${WM}) AS [numbered] ` +
          'WHERE [rn] % @every = 0 AND [rn] < [total] ORDER BY [k]',
        params: [int('partnerId', 7), wmParam('42'), int('every', 1000)],
      },
    },
  );

  testsql('computes partition bounds of invoices', (sql) => sql.buildPartitionBoundsQuery('invoice', 7, '42', 20000), {
    mariadb: {
      sql:
        'SELECT k FROM (SELECT `InvoiceId` AS k, ROW_NUMBER() OVER (ORDER BY `InvoiceId`) AS rn, COUNT(*) OVER () ' +
        'AS total ' +
        `FROM \`Invoices\` WHERE \`PartnerId\` = ? AND ${MWM}) numbered WHERE rn % ? = 0 AND rn < total ORDER BY k`,
      params: [7, '42', 20000],
    },
    mssql: {
      sql:
        'SELECT [k] FROM (SELECT [InvoiceId] AS [k], ROW_NUMBER() OVER (ORDER BY [InvoiceId]) AS [rn], COUNT(*) ' +
        'OVER () AS [total] ' +
        `FROM [dbo].[Invoices] WHERE [PartnerId] = @partnerId AND ${WM}) AS [numbered] ` +
        'WHERE [rn] % @every = 0 AND [rn] < [total] ORDER BY [k]',
      params: [
        { name: 'partnerId', type: 'Int', value: 7 },
        wmParam('42'),
        { name: 'every', type: 'Int', value: 20000 },
      ],
    },
  });

  const mariaCount = (table: string) => `(SELECT COUNT(*) FROM \`${table}\` WHERE \`PartnerId\` = ? AND ${MWM})`;
  const mariaLines = (table: string, parent: string, key: string) =>
    `(SELECT COUNT(*) FROM \`${table}\` l JOIN \`${parent}\` p ON p.\`${key}\` = l.\`${key}\` WHERE p.\`PartnerId\` ` +
    `= ? AND l.${MWM})`;
  testsql(
    'counts a partner in one statement, binding positional parameters per use, named ones once',
    (sql) => sql.buildCountPartnerRowsQuery(7, '42'),
    {
      mariadb: (build: () => unknown) => {
        const query = statement(build);
        expect(query.params).toEqual([7, '42', 7, '42', 7, '42', 7, '42', 7, '42', 7, '42', 7, '42']);
        expect(query.sql).toBe(
          `SELECT ${mariaCount('Partners')} AS partner, ${mariaCount('PartnerUsers')} AS user, ` +
            `${mariaCount('Customers')} AS customer, ` +
            `${mariaCount('Orders')} AS \`order\`, ${mariaLines('OrderLines', 'Orders', 'OrderId')} AS order_line, ` +
            `${mariaCount('Invoices')} AS invoice, ${mariaLines('InvoiceLines', 'Invoices', 'InvoiceId')} AS ` +
            `invoice_line`,
        );
      },
      mssql: (build: () => unknown) => {
        const query = statement(build);
        expect(query.sql).toBe(
          `SELECT (SELECT COUNT(*) FROM [dbo].[Partners] WHERE [PartnerId] = @partnerId AND ${WM}) AS [partner], ` +
            `(SELECT COUNT(*) FROM [dbo].[PartnerUsers] WHERE [PartnerId] = @partnerId AND ${WM}) AS [user], ` +
            `(SELECT COUNT(*) FROM [dbo].[Customers] WHERE [PartnerId] = @partnerId AND ${WM}) AS [customer], ` +
            `(SELECT COUNT(*) FROM [dbo].[Orders] WHERE [PartnerId] = @partnerId AND ${WM}) AS [order], ` +
            '(SELECT COUNT(*) FROM [dbo].[OrderLines] AS l JOIN [dbo].[Orders] AS p ON p.[OrderId] = l.[OrderId] ' +
            `WHERE p.[PartnerId] = @partnerId AND l.${WM}) AS [order_line], ` +
            `(SELECT COUNT(*) FROM [dbo].[Invoices] WHERE [PartnerId] = @partnerId AND ${WM}) AS [invoice], ` +
            '(SELECT COUNT(*) FROM [dbo].[InvoiceLines] AS l JOIN [dbo].[Invoices] AS p ON p.[InvoiceId] = l.[InvoiceId] ' +
            `WHERE p.[PartnerId] = @partnerId AND l.${WM}) AS [invoice_line]`,
        );
        expect(query.params).toEqual([{ name: 'partnerId', type: 'Int', value: 7 }, wmParam('42')]);
      },
    },
  );

  const countedEntities = ['partner', 'user', 'customer', 'order', 'order_line', 'invoice', 'invoice_line'];
  const countsOf = (build: () => unknown) => build() as { entity: string; query: Statement }[];
  testsql(
    'counts many partners with one grouped statement per table',
    (sql) => sql.buildCountRowsByPartnerQueries([3, 7], '42'),
    {
      mariadb: (build: () => unknown) => {
        const queries = countsOf(build);
        expect(queries.map((q) => q.entity)).toEqual(countedEntities);
        expect(queries[3].query).toEqual({
          sql:
            `SELECT \`PartnerId\` AS p, COUNT(*) AS n FROM \`Orders\` WHERE \`PartnerId\` IN (?) AND ${MWM} GROUP ` +
            `BY \`PartnerId\``,
          params: [[3, 7], '42'],
        });
        expect(queries[4].query.sql).toBe(
          'SELECT p.`PartnerId` AS p, COUNT(*) AS n FROM `OrderLines` l JOIN `Orders` p ON p.`OrderId` = l.`OrderId`' +
            ` WHERE p.\`PartnerId\` IN (?) AND l.${MWM} GROUP BY p.\`PartnerId\``,
        );
      },
      mssql: (build: () => unknown) => {
        const queries = countsOf(build);
        expect(queries.map((q) => q.entity)).toEqual(countedEntities);
        expect(queries[3].query.sql).toBe(
          `SELECT [PartnerId] AS [p], COUNT(*) AS [n] FROM [dbo].[Orders] WHERE [PartnerId] IN (${SPLIT_IDS}) AND ` +
            `${WM} GROUP BY [PartnerId]`,
        );
        expect(queries[4].query.sql).toBe(
          'SELECT p.[PartnerId] AS [p], COUNT(*) AS [n] FROM [dbo].[OrderLines] AS l JOIN [dbo].[Orders] AS p ON ' +
            'p.[OrderId] = l.[OrderId]' +
            ` WHERE p.[PartnerId] IN (${SPLIT_IDS}) AND l.${WM} GROUP BY p.[PartnerId]`,
        );
        expect(queries[0].query.params).toEqual([
          // NVARCHAR(MAX): a VARCHAR(40) parameter would cut a long id list short.
          { name: 'partnerIds', type: 'NVarCharMax', value: xmlIds(3, 7) },
          { name: 'watermark', type: 'VarChar', value: '42' },
        ]);
      },
    },
  );

  testsql(
    "refuses a watermark that is not an unsigned integer of the row version's width",
    (sql) => (watermark: string) => sql.buildPartnerRowsPageQuery('Orders', 1, undefined, watermark, 10),
    {
      mariadb: (build: () => unknown) => {
        const page = build() as (watermark: string) => Statement;
        for (const bad of ['4.2', '', '-1', '1e3', '123456789012345678901', '1; DROP TABLE x']) {
          expect(() => page(bad)).toThrow(ContractViolationError);
        }
        // BIGINT UNSIGNED holds 20 digits.
        expect(page('12345678901234567890').params).toContain('12345678901234567890');
      },
      mssql: (build: () => unknown) => {
        const page = build() as (watermark: string) => Statement;
        for (const bad of ['', '-1', '1.5', '1e3', '12345678901234567890', '1; DROP TABLE x']) {
          expect(() => page(bad)).toThrow(ContractViolationError);
        }
      },
    },
  );

  testsql('writes PortalMode', (sql) => sql.buildUpdatePortalModeQuery(7, 'Archive'), {
    mariadb: { sql: 'UPDATE `Partners` SET `PortalMode` = ? WHERE `PartnerId` = ?', params: ['Archive', 7] },
    mssql: {
      sql: 'UPDATE [dbo].[Partners] SET [PortalMode] = @mode WHERE [PartnerId] = @partnerId',
      params: [
        { name: 'mode', type: 'VarChar', value: 'Archive' },
        { name: 'partnerId', type: 'Int', value: 7 },
      ],
    },
  });

  testsql('binds the mode before the partner', (sql) => sql.buildUpdatePortalModeQuery(1, 'Migrated').params, {
    mariadb: ['Migrated', 1],
    mssql: [{ name: 'mode', type: 'VarChar', value: 'Migrated' }, int('partnerId', 1)],
  });

  testsql(
    'writes PortalMode only with a value the portal knows',
    (sql) => (mode: string) => sql.buildUpdatePortalModeQuery(7, mode as never),
    {
      mariadb: (build: () => unknown) =>
        expect(() => (build() as (mode: string) => unknown)('Deleted')).toThrow(ContractViolationError),
      mssql: (build: () => unknown) =>
        expect(() => (build() as (mode: string) => unknown)('archive')).toThrow(ContractViolationError),
    },
  );
});

describe('reconciliation statements, side by side', () => {
  const PCRE_BLANKS = '[\\\\x{20}\\\\x{09}\\\\x{0a}\\\\x{0d}\\\\x{0c}\\\\x{0b}]';
  const MARIA_TRIM = (ref: string, maxLength?: number) => {
    const replaced = `REGEXP_REPLACE(${ref}, '^${PCRE_BLANKS}+|${PCRE_BLANKS}+$', '')`;
    const trimmed = maxLength === undefined ? replaced : `LEFT(${replaced}, ${maxLength})`;
    return `IF(ASCII(${ref}) > 32 AND ASCII(RIGHT(CAST(${ref} AS BINARY), 1)) > 32, ${ref}, ${trimmed})`;
  };
  /** Trimmed by PATINDEX and SUBSTRING: TRIM (and LTRIM/RTRIM of other characters) is not in SQL Server 2016. */
  const KEPT = "'%[^' + CHAR(32) + CHAR(9) + CHAR(10) + CHAR(13) + CHAR(12) + CHAR(11) + ']%'";
  const MSSQL_TRIM = (ref: string) => {
    const first = `PATINDEX(${KEPT}, ${ref} COLLATE Latin1_General_BIN2)`;
    const fromEnd = `PATINDEX(${KEPT}, REVERSE(${ref}) COLLATE Latin1_General_BIN2)`;
    const length = `LEN(CONVERT(nvarchar(max), ${ref}) + N'x') - 1`;
    return `CASE WHEN ${first} = 0 THEN N'' ELSE SUBSTRING(${ref}, ${first}, ${length} - ${first} - ${fromEnd} + 2) END`;
  };

  type CanonicalType = Parameters<typeof mssqlCanonical.canonicalColumnExpression>[1]['type'];
  it.each<[string, CanonicalType, 'Orders' | 'InvoiceLines' | 'Invoices', string, string]>([
    [
      'OrderId',
      { kind: 'int' },
      'Orders',
      "COALESCE(t.`OrderId`, _utf8mb4 X'1e')",
      'COALESCE(CONVERT(varchar(11), t.[OrderId]), CHAR(30))',
    ],
    [
      'TotalAmount',
      { kind: 'decimal', scale: 4 },
      'Orders',
      "COALESCE(t.`TotalAmount`, _utf8mb4 X'1e')",
      'COALESCE(CONVERT(varchar(40), t.[TotalAmount], 2), CHAR(30))',
    ],
    [
      'TaxRate',
      { kind: 'decimal', scale: 2 },
      'InvoiceLines',
      "COALESCE(t.`TaxRate`, _utf8mb4 X'1e')",
      'COALESCE(CONVERT(varchar(40), t.[TaxRate]), CHAR(30))',
    ],
    [
      'OrderDate',
      { kind: 'localDateTime' },
      'Orders',
      "COALESCE(LEFT(CONCAT(t.`OrderDate`, '.000000'), 23), _utf8mb4 X'1e')",
      'COALESCE(CONVERT(char(23), t.[OrderDate], 121), CHAR(30))',
    ],
    [
      'InvoiceDate',
      { kind: 'date' },
      'Invoices',
      "COALESCE(DATE_FORMAT(t.`InvoiceDate`, '%Y-%m-%d'), _utf8mb4 X'1e')",
      'COALESCE(CONVERT(char(10), t.[InvoiceDate], 23), CHAR(30))',
    ],
    [
      'RowVer',
      { kind: 'rowversion' },
      'Orders',
      "COALESCE(t.`RowVer`, _utf8mb4 X'1e')",
      'COALESCE(CONVERT(varchar(20), CONVERT(bigint, t.[RowVer])), CHAR(30))',
    ],
    [
      'PoNumber',
      { kind: 'text' },
      'Orders',
      `COALESCE(${MARIA_TRIM('t.`PoNumber`')}, _utf8mb4 X'1e')`,
      `COALESCE(${MSSQL_TRIM('t.[PoNumber]')}, CHAR(30))`,
    ],
    [
      'CurrencyCode',
      { kind: 'upperText' },
      'Orders',
      `COALESCE(UPPER(${MARIA_TRIM('t.`CurrencyCode`')}), _utf8mb4 X'1e')`,
      `COALESCE(UPPER(${MSSQL_TRIM('t.[CurrencyCode]')}), CHAR(30))`,
    ],
  ])('spells the canonical text of %s (%j) in the form the archive produces', (legacy, type, table, maria, server) => {
    const column = { legacy, archive: 'x', type };
    expect(mariadbCanonical.canonicalColumnExpression(table, column, 't')).toBe(maria);
    expect(mssqlCanonical.canonicalColumnExpression(table, column, 't')).toBe(server);
  });

  it('trims exactly TRIM_WHITESPACE', () => {
    expect(mariadbCanonical.trimExpression('x')).toBe(MARIA_TRIM('x'));
    expect(mssqlCanonical.trimExpression('[x]')).toBe(MSSQL_TRIM('[x]'));
  });

  testsql(
    'aggregates count, exact hash sum and key span per range, lines by their parent key',
    (sql) => sql.buildRangeChecksumsQuery('order_line', 7, '99', [{ upTo: 10 }, { after: 10 }]),
    {
      mariadb: (build: () => unknown) => {
        const query = statement(build);
        expect(query.params).toEqual(['99']);
        expect(
          query.sql.startsWith(
            'SELECT bucket, COUNT(*) AS n, CAST(SUM(h) AS CHAR) AS total, MIN(k) AS min_key, MAX(k) AS max_key FROM ' +
              '(SELECT CASE ' +
              'WHEN p.`OrderId` <= 10 THEN 0 WHEN p.`OrderId` > 10 THEN 1 END AS bucket, p.`OrderId` AS k, ' +
              "CAST(CONV(LEFT(MD5(CONCAT_WS(_utf8mb4 X'1f', COALESCE(t.`OrderLineId`, _utf8mb4 X'1e'), ",
          ),
        ).toBe(true);
        expect(query.sql).toContain(
          '), 15), 16, 10) AS UNSIGNED) AS h FROM `OrderLines` t JOIN `Orders` p ON p.`OrderId` = t.`OrderId` WHERE ' +
            'p.`PartnerId` IN (7) ' +
            `AND t.${MWM} AND ((p.\`OrderId\` <= 10) OR (p.\`OrderId\` > 10))) hashed GROUP BY bucket`,
        );
      },
      mssql: (build: () => unknown) => {
        const query = statement(build);
        expect(query.params).toEqual([
          { name: 'partnerId', type: 'Int', value: 7 },
          { name: 'watermark', type: 'VarChar', value: '99' },
        ]);
        expect(query.sql).toMatch(
          new RegExp(
            '^SELECT \\[bucket\\], COUNT\\(\\*\\) AS \\[n\\], ' +
              'CONVERT\\(varchar\\(40\\), SUM\\(CONVERT\\(decimal\\(38, 0\\), \\[h\\]\\)\\)\\) AS \\[total\\], ' +
              'MIN\\(\\[k\\]\\) AS \\[min_key\\], MAX\\(\\[k\\]\\) AS \\[max_key\\] FROM \\(SELECT CASE WHEN ' +
              'p\\.\\[OrderId\\] <= 10 THEN 0 ' +
              'WHEN p\\.\\[OrderId\\] > 10 THEN 1 END AS \\[bucket\\], p\\.\\[OrderId\\] AS \\[k\\], \\[x\\]\\.\\[rh\\] ' +
              'AS \\[h\\] ' +
              'FROM \\[dbo\\]\\.\\[OrderLines\\] AS t JOIN \\[dbo\\]\\.\\[Orders\\] AS p ON p\\.\\[OrderId\\] = ' +
              't\\.\\[OrderId\\] CROSS APPLY',
          ),
        );
        expect(query.sql).toContain(
          ' WHERE p.[PartnerId] = @partnerId AND t.[RowVer] <= CONVERT(binary(8), CONVERT(bigint, @watermark))' +
            ' AND ((p.[OrderId] <= 10) OR (p.[OrderId] > 10))) AS [hashed] GROUP BY [bucket]',
        );
      },
    },
  );

  testsql(
    'refuses a range bound that is not an integer',
    (sql) => () => sql.buildRangeChecksumsQuery('order', 1, '1', [{ upTo: 1.5 }]),
    {
      mariadb: (build: () => unknown) => expect(build() as () => unknown).toThrow(RangeError),
      mssql: (build: () => unknown) => expect(build() as () => unknown).toThrow(RangeError),
    },
  );

  testsql(
    'lists per-key hashes of one range in key order',
    (sql) => sql.buildKeyChecksumsQuery('order', 3, '5', { after: 1, upTo: 9 }),
    {
      mariadb: (build: () => unknown) => {
        const query = statement(build);
        expect(query.params).toEqual(['5']);
        expect(query.sql).toMatch(/^SELECT t\.`OrderId` AS k, CAST\(CAST\(CONV\(LEFT\(MD5\(CONCAT_WS\(/);
        expect(query.sql).toContain(
          ` AS UNSIGNED) AS CHAR) AS h FROM \`Orders\` t WHERE t.\`PartnerId\` IN (3) AND t.${MWM}` +
            ' AND t.`OrderId` > 1 AND t.`OrderId` <= 9 ORDER BY t.`OrderId`',
        );
      },
      mssql: (build: () => unknown) => {
        const query = statement(build);
        expect(query.sql).toMatch(
          new RegExp(
            '^SELECT t\\.\\[OrderId\\] AS \\[k\\], CONVERT\\(varchar\\(20\\), \\[x\\]\\.\\[rh\\]\\) AS \\[h\\] ' +
              'FROM \\[dbo\\]\\.\\[Orders\\] AS t CROSS APPLY',
          ),
        );
        expect(query.sql).toContain(
          'WHERE t.[PartnerId] = @partnerId AND t.[RowVer] <= CONVERT(binary(8), CONVERT(bigint, @watermark))' +
            ' AND t.[OrderId] > 1 AND t.[OrderId] <= 9 ORDER BY t.[OrderId]',
        );
      },
    },
  );

  testsql(
    'reads canonical rows by their keys (an id array; an XML list)',
    (sql) => sql.buildReadCanonicalRowsQuery('invoice', [4, 5]),
    {
      mariadb: (build: () => unknown) => {
        const query = statement(build);
        expect(query.params).toEqual([[4, 5]]);
        expect(query.sql).toContain('FROM `Invoices` t WHERE t.`InvoiceId` IN (?) ORDER BY t.`InvoiceId`');
        expect(query.sql).toContain("COALESCE(t.`GrossAmount`, _utf8mb4 X'1e') AS c9");
      },
      mssql: (build: () => unknown) => {
        const query = statement(build);
        expect(query.params).toEqual([{ name: 'keys', type: 'NVarCharMax', value: xmlIds(4, 5) }]);
        expect(query.sql).toContain(`WHERE t.[InvoiceId] IN (${XML_IDS('keys')}) ORDER BY t.[InvoiceId]`);
        expect(query.sql).toContain('COALESCE(CONVERT(varchar(40), t.[GrossAmount], 2), CHAR(30)) AS [c9]');
      },
    },
  );

  testsql(
    "checksums many partners in one grouped scan, lines by their parent's partner",
    (sql) => sql.buildPartnerDigestsQuery('invoice_line', [3, 7], '99'),
    {
      mariadb: (build: () => unknown) => {
        const query = statement(build);
        expect(query.params).toEqual(['99']);
        expect(query.sql).toMatch(
          new RegExp(
            '^SET STATEMENT eq_range_index_dive_limit = 0 FOR SELECT pid, COUNT\\(\\*\\) AS n, ' +
              'CAST\\(SUM\\(h\\) AS CHAR\\) AS total, MIN\\(k\\) AS min_key, MAX\\(k\\) AS max_key FROM \\(SELECT ' +
              'p\\.`PartnerId` AS pid, ' +
              'p\\.`InvoiceId` AS k, CAST\\(CONV\\(LEFT\\(MD5\\(',
          ),
        );
        expect(query.sql).toContain(
          ' AS h FROM `InvoiceLines` t JOIN `Invoices` p ON p.`InvoiceId` = t.`InvoiceId`' +
            ` WHERE p.\`PartnerId\` IN (3, 7) AND t.${MWM}) hashed GROUP BY pid`,
        );
      },
      mssql: (build: () => unknown) => {
        const query = statement(build);
        expect(query.params).toEqual([
          { name: 'partnerIds', type: 'NVarCharMax', value: xmlIds(3, 7) },
          { name: 'watermark', type: 'VarChar', value: '99' },
        ]);
        expect(query.sql).toMatch(
          new RegExp(
            '^SELECT \\[pid\\], COUNT\\(\\*\\) AS \\[n\\], ' +
              'CONVERT\\(varchar\\(40\\), SUM\\(CONVERT\\(decimal\\(38, 0\\), \\[h\\]\\)\\)\\) AS \\[total\\], ' +
              'MIN\\(\\[k\\]\\) AS \\[min_key\\], MAX\\(\\[k\\]\\) AS \\[max_key\\] FROM \\(SELECT p\\.\\[PartnerId\\] ' +
              'AS \\[pid\\], ' +
              'p\\.\\[InvoiceId\\] AS \\[k\\], \\[x\\]\\.\\[rh\\] AS \\[h\\] FROM \\[dbo\\]\\.\\[InvoiceLines\\] AS t ' +
              'JOIN \\[dbo\\]\\.\\[Invoices\\] AS p ON p\\.\\[InvoiceId\\] = t\\.\\[InvoiceId\\] CROSS APPLY',
          ),
        );
        expect(query.sql).toContain(
          ` WHERE p.[PartnerId] IN (${SPLIT_IDS})` +
            ' AND t.[RowVer] <= CONVERT(binary(8), CONVERT(bigint, @watermark))) AS [hashed] GROUP BY [pid]',
        );
      },
    },
  );

  testsql(
    'digests a chunk of partners, MariaDB estimating its IN list from index dives, not statistics',
    (sql) =>
      sql.buildPartnerDigestsQuery(
        'order_line',
        Array.from({ length: 300 }, (_, index) => index + 1),
        '42',
      ),
    {
      mariadb: (build: () => unknown) => {
        const query = statement(build);
        const ids = Array.from({ length: 300 }, (_, index) => index + 1);
        expect(query.sql).toMatch(/^SET STATEMENT eq_range_index_dive_limit = 0 FOR SELECT pid, COUNT\(\*\) AS n, /);
        expect(query.sql).toContain(
          `WHERE p.\`PartnerId\` IN (${ids.join(', ')}) AND t.\`RowVer\` <= CAST(? AS UNSIGNED)`,
        );
        expect(query.params).toEqual(['42']);
      },
      mssql: (build: () => unknown) => {
        const query = statement(build);
        const ids = xmlIds(...Array.from({ length: 300 }, (_, index) => index + 1));
        expect(query.sql).toMatch(/^SELECT \[pid\], COUNT\(\*\) AS \[n\], /);
        expect(query.params[0]).toEqual({ name: 'partnerIds', type: 'NVarCharMax', value: ids });
      },
    },
  );

  testsql(
    'refuses an empty or fractional list of partners',
    (sql) => (ids: number[]) => sql.buildPartnerDigestsQuery('order', ids, '1'),
    {
      mariadb: (build: () => unknown) => {
        const digests = build() as (ids: number[]) => unknown;
        expect(() => digests([])).toThrow(RangeError);
        expect(() => digests([1.5])).toThrow(RangeError);
      },
      mssql: (build: () => unknown) => {
        const digests = build() as (ids: number[]) => unknown;
        expect(() => digests([])).toThrow(RangeError);
        expect(() => digests([1.5])).toThrow(RangeError);
      },
    },
  );

  testsql(
    'sums money per partner, currency and month in the checksum scan of invoices',
    (sql) => sql.buildPartnerDigestsQuery('invoice', [2, 5], '8'),
    {
      mariadb: (build: () => unknown) => {
        const query = statement(build);
        expect(query.params).toEqual(['8']);
        expect(query.sql).toMatch(
          new RegExp(
            '^SET STATEMENT eq_range_index_dive_limit = 0 FOR SELECT pid, currency, month, ' +
              'COUNT\\(\\*\\) AS n, .* MAX\\(k\\) AS max_key, CAST\\(SUM\\(m1\\) AS CHAR\\) AS a1, CAST\\(SUM\\(m2\\) AS ' +
              'CHAR\\) AS a2, ' +
              'CAST\\(SUM\\(m3\\) AS CHAR\\) AS a3 FROM \\(',
          ),
        );
        // LEFT() to the column's length keeps the group key off LONGTEXT.
        expect(query.sql).toContain(
          `AS h, UPPER(${MARIA_TRIM('t.`CurrencyCode`', 3)}) AS currency, LEFT(t.\`InvoiceDate\`, 7) AS ` +
            `month, ` +
            't.`NetAmount` AS m1, t.`TaxAmount` AS m2, t.`GrossAmount` AS m3 FROM `Invoices` t',
        );
        expect(query.sql).toMatch(/\) hashed GROUP BY pid, currency, month$/);
      },
      mssql: (build: () => unknown) => {
        const query = statement(build);
        expect(query.params).toEqual([
          { name: 'partnerIds', type: 'NVarCharMax', value: xmlIds(2, 5) },
          { name: 'watermark', type: 'VarChar', value: '8' },
        ]);
        expect(query.sql).toMatch(
          new RegExp(
            '^SELECT \\[pid\\], \\[currency\\], \\[month\\], COUNT\\(\\*\\) AS \\[n\\], .* ' +
              'MAX\\(\\[k\\]\\) AS \\[max_key\\], CONVERT\\(varchar\\(40\\), SUM\\(\\[m1\\]\\), 2\\) AS \\[a1\\], ' +
              'CONVERT\\(varchar\\(40\\), SUM\\(\\[m2\\]\\), 2\\) AS \\[a2\\], CONVERT\\(varchar\\(40\\), ' +
              'SUM\\(\\[m3\\]\\), 2\\) AS \\[a3\\] FROM \\(',
          ),
        );
        expect(query.sql).toContain(
          `[x].[rh] AS [h], UPPER(${MSSQL_TRIM('t.[CurrencyCode]')}) AS [currency], ` +
            'CONVERT(char(7), t.[InvoiceDate], 23) AS [month], t.[NetAmount] AS [m1], t.[TaxAmount] AS [m2], ' +
            't.[GrossAmount] AS [m3] ' +
            'FROM [dbo].[Invoices] AS t',
        );
        expect(query.sql).toMatch(/\) AS \[hashed\] GROUP BY \[pid\], \[currency\], \[month\]$/);
      },
    },
  );

  testsql(
    'groups lines by partner only: they carry no money of their own',
    (sql) => sql.buildPartnerDigestsQuery('order_line', [2], '8').sql,
    {
      mariadb: expect.stringMatching(/GROUP BY pid$/),
      mssql: expect.stringMatching(/GROUP BY \[pid\]$/),
    },
  );

  testsql(
    "starts MariaDB's digest of money with its own optimizer setting too",
    (sql) => sql.buildPartnerDigestsQuery('invoice', [7], '1').sql,
    {
      mariadb: expect.stringMatching(/^SET STATEMENT eq_range_index_dive_limit = 0 FOR SELECT pid, currency, month, /),
      mssql: expect.stringMatching(/^SELECT \[pid\], \[currency\], \[month\], /),
    },
  );

  testsql(
    'pages the account rows of many partners',
    (sql) => sql.buildRowsOfPartnersPageQuery('PartnerUsers', [2, 5], { after: 40 }, '8', 500),
    {
      mariadb: {
        sql:
          `SELECT ${M.PartnerUsers} FROM \`PartnerUsers\` WHERE \`PartnerId\` IN (2, 5) AND \`UserId\` > ? AND ${MWM} ` +
          'ORDER BY `UserId` LIMIT ?',
        params: [40, '8', 500],
      },
      mssql: {
        sql: expect.stringMatching(
          new RegExp(
            '^SELECT TOP \\(@limit\\) .*\\[UserId\\].* ' +
              'FROM \\[dbo\\]\\.\\[PartnerUsers\\] ' +
              `WHERE \\[PartnerId\\] IN \\(${escapeRegExp(SPLIT_IDS)}\\) ` +
              'AND \\[UserId\\] > @after AND \\[RowVer\\] <= CONVERT\\(binary\\(8\\), CONVERT\\(bigint, @watermark\\)\\) ' +
              'ORDER BY \\[UserId\\]$',
          ),
        ),
        params: [
          { name: 'limit', type: 'Int', value: 500 },
          { name: 'partnerIds', type: 'NVarCharMax', value: xmlIds(2, 5) },
          { name: 'after', type: 'Int', value: 40 },
          { name: 'watermark', type: 'VarChar', value: '8' },
        ],
      },
    },
  );

  testsql(
    'pages partner rows as they are now when no watermark is given',
    (sql) => sql.buildRowsOfPartnersPageQuery('Partners', [3, 9], {}, null, 500),
    {
      mariadb: {
        sql: `SELECT ${M.Partners} FROM \`Partners\` WHERE \`PartnerId\` IN (3, 9) ORDER BY \`PartnerId\` LIMIT ?`,
        params: [500],
      },
      mssql: {
        sql: expect.stringMatching(
          new RegExp(
            `^SELECT TOP \\(@limit\\) .* FROM \\[dbo\\]\\.\\[Partners\\] WHERE \\[PartnerId\\] IN \\(${escapeRegExp(SPLIT_IDS)}\\) ORDER BY \\[PartnerId\\]$`,
          ),
        ),
        params: [
          { name: 'limit', type: 'Int', value: 500 },
          { name: 'partnerIds', type: 'NVarCharMax', value: xmlIds(3, 9) },
        ],
      },
    },
  );

  testsql(
    'pages the orders of a batch of partners',
    (sql) => sql.buildRowsOfPartnersPageQuery('Orders', [3, 9], {}, '8', 20000),
    {
      mariadb: {
        sql: `SELECT ${M.Orders} FROM \`Orders\` WHERE \`PartnerId\` IN (3, 9) AND ${MWM} ORDER BY \`OrderId\` LIMIT ?`,
        params: ['8', 20000],
      },
      mssql: {
        sql: expect.stringMatching(
          new RegExp(
            '^SELECT TOP \\(@limit\\) .*\\[OrderId\\].* FROM \\[dbo\\]\\.\\[Orders\\] ' +
              `WHERE \\[PartnerId\\] IN \\(${escapeRegExp(SPLIT_IDS)}\\) ` +
              'AND \\[RowVer\\] <= CONVERT\\(binary\\(8\\), CONVERT\\(bigint, @watermark\\)\\) ORDER BY \\[OrderId\\]$',
          ),
        ),
        params: [
          { name: 'limit', type: 'Int', value: 20000 },
          { name: 'partnerIds', type: 'NVarCharMax', value: xmlIds(3, 9) },
          wmParam('8'),
        ],
      },
    },
  );

  testsql(
    'reads the lines of a batch of partners in one join, bounded on the parent key',
    (sql) => sql.buildLinesOfPartnersQuery('InvoiceLines', [3, 9], { upTo: 500 }, '8'),
    {
      mariadb: {
        sql:
          `SELECT ${M.InvoiceLines} FROM \`InvoiceLines\` l JOIN \`Invoices\` p ON p.\`InvoiceId\` = l.\`InvoiceId\` ` +
          `WHERE p.\`PartnerId\` IN (3, 9) AND p.\`InvoiceId\` <= ? AND l.${MWM} ORDER BY ` +
          `l.\`InvoiceId\`, l.\`InvoiceLineId\``,
        params: [500, '8'],
      },
      mssql: {
        sql:
          `SELECT ${S.InvoiceLines} FROM [dbo].[InvoiceLines] AS l JOIN [dbo].[Invoices] AS p ON p.[InvoiceId] = l.[InvoiceId] ` +
          `WHERE p.[PartnerId] IN (${SPLIT_IDS}) ` +
          `AND p.[InvoiceId] <= @upTo AND l.${WM} ORDER BY l.[InvoiceId], l.[InvoiceLineId]`,
        params: [{ name: 'partnerIds', type: 'NVarCharMax', value: xmlIds(3, 9) }, int('upTo', 500), wmParam('8')],
      },
    },
  );

  it('selects the account rows in the same select list as the per-partner pages', () => {
    expect(
      MSSQL_DIALECT.sql.buildRowsOfPartnersPageQuery('PartnerUsers', [2, 5], { after: 40 }, '8', 500).sql,
    ).toContain(`TOP (@limit) ${S.PartnerUsers} FROM`);
  });
});

describe('scoped reconciliation statements (a sync verifies what it applied), side by side', () => {
  /** The (partner, key) pairs SQL Server reads from one XML parameter, as the driving table [s]. */
  const PAIRS =
    "(SELECT [pairs].[i].value('@p', 'int') AS [p], [pairs].[i].value('@k', 'int') AS [k] " +
    "FROM (SELECT CONVERT(xml, @scope) AS [d]) AS [doc] CROSS APPLY [doc].[d].nodes('/i') AS [pairs]([i])) AS [s]";
  const xmlPairs = (...pairs: Array<[number, number]>) => pairs.map(([p, k]) => `<i p="${p}" k="${k}"/>`).join('');
  const HASH_TOTAL = 'CONVERT(varchar(40), SUM(CONVERT(decimal(38, 0), [h]))) AS [total]';

  testsql(
    "digests only the scoped orders' lines, driven by (partner, key) pairs in one XML parameter",
    (sql) =>
      sql.buildPartnerDigestsQuery(
        'order_line',
        [3, 4],
        '99',
        new Map([
          [3, [12, 10, 12]],
          [4, [7]],
        ]),
      ),
    {
      mariadb: (build: () => unknown) => {
        const query = statement(build);
        expect(query.params).toEqual(['99']);
        expect(query.sql).toBe(
          'SET STATEMENT eq_range_index_dive_limit = 0 FOR SELECT pid, COUNT(*) AS n, CAST(SUM(h) AS CHAR) AS total, ' +
            'MIN(k) AS min_key, MAX(k) AS max_key FROM (SELECT p.`PartnerId` AS pid, p.`OrderId` AS k, ' +
            `${mariadbCanonical.rowHashExpression('order_line')} AS h ` +
            'FROM `OrderLines` t JOIN `Orders` p ON p.`OrderId` = t.`OrderId` ' +
            `WHERE (p.\`PartnerId\`, p.\`OrderId\`) IN ((3, 10), (3, 12), (4, 7)) AND t.${MWM}) hashed GROUP BY pid`,
        );
      },
      mssql: (build: () => unknown) => {
        const query = statement(build);
        expect(query.params).toEqual([
          { name: 'scope', type: 'NVarCharMax', value: xmlPairs([3, 10], [3, 12], [4, 7]) },
          wmParam('99'),
        ]);
        expect(query.sql).toBe(
          `SELECT [pid], COUNT(*) AS [n], ${HASH_TOTAL}, MIN([k]) AS [min_key], MAX([k]) AS [max_key] ` +
            'FROM (SELECT p.[PartnerId] AS [pid], p.[OrderId] AS [k], [x].[rh] AS [h] ' +
            `FROM ${PAIRS} JOIN [dbo].[Orders] AS p ON p.[OrderId] = [s].[k] AND p.[PartnerId] = [s].[p] ` +
            `JOIN [dbo].[OrderLines] AS t ON t.[OrderId] = p.[OrderId] ${mssqlCanonical.rowHashApply('order_line')} ` +
            `WHERE t.${WM}) AS [hashed] GROUP BY [pid]`,
        );
      },
    },
  );

  testsql(
    "digests whole partners and scoped ones in one statement, the scoped invoices' money beside the others'",
    (sql) => sql.buildPartnerDigestsQuery('invoice', [2, 5, 9], '8', new Map([[5, [40, 41]]])),
    {
      mariadb: (build: () => unknown) => {
        const query = statement(build);
        expect(query.params).toEqual(['8', '8']);
        const [whole, scoped] = query.sql.split(' UNION ALL ');
        expect(whole).toContain(`FROM \`Invoices\` t WHERE t.\`PartnerId\` IN (2, 9) AND t.${MWM}`);
        expect(scoped).toMatch(/^SELECT t\.`PartnerId` AS pid, t\.`InvoiceId` AS k, /);
        expect(scoped).toContain(
          't.`NetAmount` AS m1, t.`TaxAmount` AS m2, t.`GrossAmount` AS m3 FROM `Invoices` t ' +
            `WHERE (t.\`PartnerId\`, t.\`InvoiceId\`) IN ((5, 40), (5, 41)) AND t.${MWM}) hashed ` +
            'GROUP BY pid, currency, month',
        );
      },
      mssql: (build: () => unknown) => {
        const query = statement(build);
        expect(query.params).toEqual([
          { name: 'partnerIds', type: 'NVarCharMax', value: xmlIds(2, 9) },
          wmParam('8'),
          { name: 'scope', type: 'NVarCharMax', value: xmlPairs([5, 40], [5, 41]) },
        ]);
        const [whole, scoped] = query.sql.split(' UNION ALL ');
        expect(whole).toContain(`FROM [dbo].[Invoices] AS t ${mssqlCanonical.rowHashApply('invoice')} `);
        expect(whole).toContain(`WHERE t.[PartnerId] IN (${SPLIT_IDS}) AND t.${WM}`);
        expect(scoped).toBe(
          'SELECT t.[PartnerId] AS [pid], t.[InvoiceId] AS [k], [x].[rh] AS [h], ' +
            `UPPER(${mssqlCanonical.trimExpression('t.[CurrencyCode]')}) AS [currency], ` +
            'CONVERT(char(7), t.[InvoiceDate], 23) AS [month], t.[NetAmount] AS [m1], t.[TaxAmount] AS [m2], ' +
            `t.[GrossAmount] AS [m3] FROM ${PAIRS} ` +
            `JOIN [dbo].[Invoices] AS t ON t.[InvoiceId] = [s].[k] AND t.[PartnerId] = [s].[p] ` +
            `${mssqlCanonical.rowHashApply('invoice')} WHERE t.${WM}) AS [hashed] GROUP BY [pid], [currency], [month]`,
        );
      },
    },
  );

  testsql(
    'leaves a scoped partner with no keys out, and refuses a scope with nothing to read or a fractional key',
    (sql) => (scope: Map<number, number[]>) => sql.buildPartnerDigestsQuery('order', [1, 2], '1', scope),
    {
      mariadb: (build: () => unknown) => {
        const digests = build() as (scope: Map<number, number[]>) => Statement;
        expect(digests(new Map([[1, []]])).sql).toContain('WHERE t.`PartnerId` IN (2) AND');
        expect(digests(new Map([[1, []]])).sql).not.toContain('UNION ALL');
        expect(() =>
          digests(
            new Map([
              [1, []],
              [2, []],
            ]),
          ),
        ).toThrow(RangeError);
        expect(() => digests(new Map([[1, [1.5]]]))).toThrow(RangeError);
      },
      mssql: (build: () => unknown) => {
        const digests = build() as (scope: Map<number, number[]>) => Statement;
        expect(digests(new Map([[1, []]])).params).toEqual([
          { name: 'partnerIds', type: 'NVarCharMax', value: xmlIds(2) },
          wmParam('1'),
        ]);
        expect(() =>
          digests(
            new Map([
              [1, []],
              [2, []],
            ]),
          ),
        ).toThrow(RangeError);
        expect(() => digests(new Map([[1, [1.5]]]))).toThrow(RangeError);
        // A partner the statement is not about is not read, whatever its scope lists.
        expect(
          digests(
            new Map([
              [1, [5]],
              [7, [9]],
            ]),
          ).params,
        ).toContainEqual({
          name: 'scope',
          type: 'NVarCharMax',
          value: xmlPairs([1, 5]),
        });
      },
    },
  );

  testsql(
    "bisects a scoped partner over its scope's parent keys only",
    (sql) => [
      sql.buildRangeChecksumsQuery('invoice_line', 3, '9', [{ upTo: 50 }], [40, 41]),
      sql.buildKeyChecksumsQuery('order', 3, '9', { after: 10 }, [12]),
    ],
    {
      mariadb: (build: () => unknown) => {
        const [ranges, keys] = build() as Statement[];
        expect(ranges.sql).toContain(`WHERE p.\`PartnerId\` IN (3) AND t.${MWM} AND p.\`InvoiceId\` IN (40, 41) AND (`);
        expect(keys.sql).toContain(
          `WHERE t.\`PartnerId\` IN (3) AND t.${MWM} AND t.\`OrderId\` IN (12) AND t.\`OrderId\` > 10 ORDER BY`,
        );
      },
      mssql: (build: () => unknown) => {
        const [ranges, keys] = build() as Statement[];
        expect(ranges.params).toEqual([
          int('partnerId', 3),
          wmParam('9'),
          { name: 'keys', type: 'NVarCharMax', value: xmlIds(40, 41) },
        ]);
        expect(ranges.sql).toContain(
          `WHERE p.[PartnerId] = @partnerId AND t.${WM} AND p.[InvoiceId] IN (${XML_IDS('keys')}) AND (`,
        );
        expect(keys.params).toContainEqual({ name: 'keys', type: 'NVarCharMax', value: xmlIds(12) });
        expect(keys.sql).toContain(`AND t.[OrderId] IN (${XML_IDS('keys')}) AND t.[OrderId] > 10 ORDER BY t.[OrderId]`);
      },
    },
  );
});

describe('SQL Server only', () => {
  it('selects every value the driver would mangle as text in a fixed style', () => {
    expect(selectExpression({ name: 'TotalAmount', kind: 'money' })).toBe(
      'CONVERT(varchar(40), [TotalAmount], 2) AS [TotalAmount]',
    );
    expect(selectExpression({ name: 'TaxRate', kind: 'decimal' }, 'l')).toBe(
      'CONVERT(varchar(40), l.[TaxRate]) AS [TaxRate]',
    );
    expect(selectExpression({ name: 'OrderDate', kind: 'local' })).toBe(
      'CONVERT(char(23), [OrderDate], 121) AS [OrderDate]',
    );
    expect(selectExpression({ name: 'ModifiedAtUtc', kind: 'utc' })).toBe(
      'CONVERT(char(23), [ModifiedAtUtc], 121) AS [ModifiedAtUtc]',
    );
    expect(selectExpression({ name: 'InvoiceDate', kind: 'date' })).toBe(
      'CONVERT(char(10), [InvoiceDate], 23) AS [InvoiceDate]',
    );
    expect(selectExpression({ name: 'TenantId', kind: 'guid' })).toBe('CONVERT(char(36), [TenantId]) AS [TenantId]');
    expect(selectExpression({ name: 'RowVer', kind: 'rowver' })).toBe(
      'CONVERT(varchar(20), CONVERT(bigint, [RowVer])) AS [RowVer]',
    );
    expect(selectExpression({ name: 'IsDeleted', kind: 'bool' })).toBe('[IsDeleted]');
    expect(selectExpression({ name: 'LineNo', kind: 'int' }, 'l')).toBe('l.[LineNo]');
  });

  it('hashes the UTF-8 bytes of the canonical text and keeps 60 non-negative bits', () => {
    expect(mssqlCanonical.canonicalTextExpression('order')).toMatch(
      new RegExp(
        '^CONVERT\\(varchar\\(max\\), CONVERT\\(nvarchar\\(max\\), ' +
          'COALESCE\\(CONVERT\\(varchar\\(11\\), t\\.\\[OrderId\\]\\), CHAR\\(30\\)\\)\\) \\+ CHAR\\(31\\) \\+ .* COLLATE ' +
          'Latin1_General_100_CI_AS_SC_UTF8\\)$',
      ),
    );
    expect(mssqlCanonical.rowHashApply('order')).toContain(
      "CROSS APPLY (SELECT HASHBYTES('MD5', CONVERT(varchar(max), CONVERT(nvarchar(max), COALESCE(",
    );
    expect(mssqlCanonical.rowHashApply('order')).toContain(
      'CONVERT(bigint, SUBSTRING([m].[md5], 1, 7)) * 16 + CONVERT(int, SUBSTRING([m].[md5], 8, 1)) / 16 AS [rh]',
    );
  });

  it('administers the schema with guarded statements', () => {
    expect(buildCreateDatabaseQuery('partner_portal')).toEqual({
      sql: "IF DB_ID(@database) IS NULL EXEC (N'CREATE DATABASE ' + QUOTENAME(@database))",
      params: [{ name: 'database', type: 'NVarCharMax', value: 'partner_portal' }],
    });
    expect(buildHasTableQuery('Partners').sql).toBe(
      "SELECT CASE WHEN OBJECT_ID(N'dbo.' + @table, N'U') IS NULL THEN 0 ELSE 1 END AS [present]",
    );
    expect(DROP_LEGACY_SCHEMA_SQL).toBe(
      'DROP TABLE IF EXISTS [dbo].[InvoiceLines], [dbo].[Invoices], [dbo].[OrderLines], ' +
        '[dbo].[Orders], [dbo].[Customers], [dbo].[PartnerUsers], [dbo].[Partners]',
    );
  });

  it('marks a portal it creates with ppm_synthetic_portal, and drops the marker after the tables', () => {
    expect(CREATE_PORTAL_MARKER_QUERIES).toEqual([
      {
        sql:
          "IF OBJECT_ID(N'dbo.ppm_synthetic_portal', N'U') IS NULL CREATE TABLE [dbo].[ppm_synthetic_portal] " +
          '([Note] nvarchar(200) NOT NULL, [CreatedAtUtc] datetime2(3) NOT NULL DEFAULT SYSUTCDATETIME())',
        params: [],
      },
      {
        sql:
          'INSERT INTO [dbo].[ppm_synthetic_portal] ([Note]) SELECT @note ' +
          'WHERE NOT EXISTS (SELECT 1 FROM [dbo].[ppm_synthetic_portal])',
        params: [
          { name: 'note', type: 'NVarCharMax', value: expect.stringContaining('synthetic portal created by ppm') },
        ],
      },
    ]);
    expect(DROP_PORTAL_MARKER_SQL).toBe('DROP TABLE IF EXISTS [dbo].[ppm_synthetic_portal]');
    expect(buildHasTableQuery('ppm_synthetic_portal').params).toEqual([
      { name: 'table', type: 'NVarCharMax', value: 'ppm_synthetic_portal' },
    ]);
  });

  it('splits a script into batches on GO lines only', () => {
    const script = 'CREATE TABLE a (x int);\nGO\n-- comment only\ngo  \nCREATE INDEX IX_GOOD ON a (x);\n GO -- done\n';
    expect(splitBatches(script)).toEqual(['CREATE TABLE a (x int);', 'CREATE INDEX IX_GOOD ON a (x);']);
  });

  it('stages rows as text and moves them with IDENTITY_INSERT and fixed date styles', () => {
    const rows = [
      {
        OrderId: 1,
        OrderNumber: 'SO-1',
        PartnerId: 1,
        OrderType: 'New',
        Status: 'Completed',
        OrderDate: '2024-03-31 02:30:00.000',
        CurrencyCode: 'CHF',
        TotalAmount: '12.3456',
        ModifiedAtUtc: '2024-03-31T00:30:00.000Z',
        RowVer: '99',
      },
    ];
    const columns = insertColumns('Orders', rows);
    expect(columns.map((c) => c.name)).toEqual([
      'OrderId',
      'OrderNumber',
      'PartnerId',
      'OrderType',
      'Status',
      'OrderDate',
      'CurrencyCode',
      'TotalAmount',
      'ModifiedAtUtc',
    ]);
    expect(buildCreateStageSql(columns.slice(0, 2))).toBe(
      'CREATE TABLE #ppm_stage ([OrderId] nvarchar(4000) NULL, [OrderNumber] nvarchar(4000) NULL)',
    );
    expect(buildInsertFromStageSql('Orders', columns)).toBe(
      'SET IDENTITY_INSERT [dbo].[Orders] ON; INSERT INTO [dbo].[Orders] ([OrderId], [OrderNumber], [PartnerId], ' +
        '[OrderType], ' +
        '[Status], [OrderDate], [CurrencyCode], [TotalAmount], [ModifiedAtUtc]) ' +
        'SELECT [OrderId], [OrderNumber], [PartnerId], [OrderType], [Status], CONVERT(datetime, [OrderDate], 121), ' +
        '[CurrencyCode], ' +
        '[TotalAmount], CONVERT(datetime2(3), [ModifiedAtUtc], 127) ' +
        'FROM #ppm_stage; SET IDENTITY_INSERT [dbo].[Orders] OFF',
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
    expect(toStageText(col('ModifiedAtUtc'), new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)))).toBe(
      '2024-01-02T03:04:05.006Z',
    );
    expect(toStageText(col('InvoiceDate'), new Date(Date.UTC(2024, 1, 29)))).toBe('2024-02-29');
    expect(toStageText(col('NetAmount'), '-100.5000')).toBe('-100.5000');
    expect(toStageText(col('CustomerId'), 42)).toBe('42');
  });
});

describe('MariaDB only', () => {
  it('administers the schema: the DDL character set, the current database, the sequence with the tables', () => {
    expect(buildCreateDatabaseSql('pp`x')).toBe(
      'CREATE DATABASE IF NOT EXISTS `pp``x` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci',
    );
    expect(buildMariaDbHasTableQuery('Partners')).toEqual({
      sql: 'SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
      params: ['Partners'],
    });
    expect(MARIADB_DROP_LEGACY_SCHEMA_SQL).toEqual([
      'DROP TABLE IF EXISTS `InvoiceLines`, `Invoices`, `OrderLines`, `Orders`, `Customers`, `PartnerUsers`, ' +
        '`Partners`',
      'DROP SEQUENCE IF EXISTS `RowVerSeq`',
      'DROP TABLE IF EXISTS `ppm_synthetic_portal`',
    ]);
  });

  it('marks a portal it creates with ppm_synthetic_portal', () => {
    expect(MARIADB_CREATE_PORTAL_MARKER_QUERIES).toEqual([
      {
        sql:
          'CREATE TABLE IF NOT EXISTS `ppm_synthetic_portal` (`Note` VARCHAR(200) NOT NULL, ' +
          '`CreatedAtUtc` DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3))) ' +
          'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci',
        params: [],
      },
      {
        sql:
          'INSERT INTO `ppm_synthetic_portal` (`Note`) SELECT ? FROM DUAL ' +
          'WHERE NOT EXISTS (SELECT 1 FROM `ppm_synthetic_portal`)',
        params: [expect.stringContaining('synthetic portal created by ppm')],
      },
    ]);
  });

  it('inserts many rows in one statement, leaving RowVer to the trigger', () => {
    const query = buildInsertRowsQuery('PartnerUsers', [
      {
        UserId: 1,
        PartnerId: 1,
        Email: 'a',
        Role: 'Admin',
        IsPrimary: true,
        ModifiedAtUtc: '2024-01-01T00:00:00.000Z',
        RowVer: '5',
      },
      { UserId: 2, PartnerId: 1, Email: 'b', Role: 'Admin', IsPrimary: false, LastLoginAt: '2024-01-01 01:00:00.000' },
    ]);
    expect(query.sql).toBe(
      'INSERT INTO `PartnerUsers` (`UserId`, `PartnerId`, `Email`, `Role`, `IsPrimary`, `LastLoginAt`, ' +
        '`ModifiedAtUtc`) VALUES ?',
    );
    expect(query.params).toEqual([
      [
        [1, 1, 'a', 'Admin', 1, null, '2024-01-01 00:00:00.000'],
        [2, 1, 'b', 'Admin', 0, '2024-01-01 01:00:00.000', null],
      ],
    ]);
    expect(() => buildInsertRowsQuery('Partners', [{ 'x`); DROP': 1 }])).toThrow(ContractViolationError);
    expect(toMariaDbValue('decimal', 10n)).toBe('10');
  });
});

describe('SQL Server 2016 at any compatibility level from 100', () => {
  /** Every statement the engine builds, from one call of each builder. */
  function everyStatement(): Array<{ what: string; sql: string; params: unknown[] }> {
    const sql = MSSQL_DIALECT.sql;
    const range = { after: 10, upTo: 90 };
    const built: Array<[string, { sql: string; params: unknown[] }]> = [
      ['watermark', sql.buildReadWatermarkQuery()],
      ['partner ids', sql.buildListPartnerIdsQuery({ ids: [1, 2], limit: 5 })],
      ['partner', sql.buildReadPartnerQuery(1, '9')],
      ['rows page', sql.buildPartnerRowsPageQuery('Orders', 1, range, '9', 100)],
      ['lines of parents', sql.buildLinesOfParentsQuery('OrderLines', 1, range, '9')],
      ['lines of partners', sql.buildLinesOfPartnersQuery('InvoiceLines', [1, 2], range, '9')],
      ['partition bounds', sql.buildPartitionBoundsQuery('order', 1, '9', 100)],
      ['partner counts', sql.buildCountPartnerRowsQuery(1, '9')],
      ...sql
        .buildCountRowsByPartnerQueries([1, 2], '9')
        .map(({ entity, query }) => [`counts ${entity}`, query] as [string, { sql: string; params: unknown[] }]),
      ['range checksums', sql.buildRangeChecksumsQuery('order', 1, '9', [range])],
      ['key checksums', sql.buildKeyChecksumsQuery('invoice_line', 1, '9', range)],
      ['canonical rows', sql.buildReadCanonicalRowsQuery('invoice', [4, 5])],
      ['partner digests', sql.buildPartnerDigestsQuery('invoice', [1, 2], '9')],
      ['scoped digests', sql.buildPartnerDigestsQuery('invoice_line', [1, 2], '9', new Map([[2, [5, 6]]]))],
      ['scoped range checksums', sql.buildRangeChecksumsQuery('order_line', 1, '9', [range], [20, 30])],
      ['scoped key checksums', sql.buildKeyChecksumsQuery('invoice', 1, '9', range, [20])],
      ['rows of partners', sql.buildRowsOfPartnersPageQuery('Partners', [1, 2], range, '9', 100)],
      ['portal mode', sql.buildUpdatePortalModeQuery(1, 'MigrationScheduled')],
    ];
    return built.map(([what, query]) => ({ what, sql: query.sql, params: query.params }));
  }

  it.each(['STRING_SPLIT', 'OPENJSON', 'TRIM(', 'CONCAT_WS', 'STRING_AGG', 'TRANSLATE('])(
    'uses no %s in any statement',
    (name) => {
      const using = everyStatement().filter((statement) =>
        new RegExp(`(^|[^LR_A-Z])${escapeRegExp(name)}`, 'i').test(statement.sql),
      );
      expect(using.map((statement) => statement.what)).toEqual([]);
    },
  );

  it('passes id lists as one XML parameter of integers, never as SQL text', () => {
    const query = MSSQL_DIALECT.sql.buildLinesOfPartnersQuery('InvoiceLines', [17, 4, 2000000], { upTo: 5 }, '9');
    expect(query.params).toContainEqual({
      name: 'partnerIds',
      type: 'NVarCharMax',
      value: '<i>17</i><i>4</i><i>2000000</i>',
    });
    expect(query.sql).not.toMatch(/2000000|\b17\b/);
    expect(() => MSSQL_DIALECT.sql.buildListPartnerIdsQuery({ ids: [1, 1.5] })).toThrow(RangeError);
    expect(() => MSSQL_DIALECT.sql.buildReadCanonicalRowsQuery('order', [Number.NaN])).toThrow(RangeError);
  });

  it('refuses at connect a server older than 2016 or a database below compatibility level 100, naming what it needs', () => {
    expect(serverSupportProblem('13.0.5026.0', 100)).toBeUndefined();
    expect(serverSupportProblem('16.0.4135.4', 160)).toBeUndefined();
    expect(serverSupportProblem('12.0.6024.0', 120)).toBe(
      'SQL Server 2016 (13.x) or later is needed; this server is version 12.0.6024.0',
    );
    expect(serverSupportProblem('13.0.1601.5', 90)).toBe(
      'the database must run at compatibility level 100 or higher; it runs at 90',
    );
    expect(serverSupportProblem('', null)).toBe(
      'SQL Server 2016 (13.x) or later is needed; this server is version unknown',
    );
    expect(SERVER_SUPPORT_SQL).toBe(
      "SELECT CONVERT(varchar(32), SERVERPROPERTY('ProductVersion')) AS [version], " +
        '(SELECT [compatibility_level] FROM sys.databases WHERE [name] = DB_NAME()) AS [level]',
    );
  });
});
