import type { Knex } from 'knex';
import { NULL_MARKER, type RangeChecksum } from '../../core/canonical';
import {
  type AccountRow,
  type AccountUserRow,
  type AgreementRow,
  type BuyerRow,
  type LicenseeRow,
  type SubscriptionRow,
  type UserRow,
} from '../../core/target-model';
import { rowHashOfTexts, storedRowHash } from './archive-canonical';

/** A partner's account, its buyers and memberships as stored, in the row forms of core/target-model.ts. */
export interface AccountSideRows {
  accounts: AccountRow[];
  buyers: BuyerRow[];
  account_users: AccountUserRow[];
}

/** The marketplace tables compared by hash per partner (the large ones); the rest are read whole. */
export type HashedTable = 'licensees' | 'agreements' | 'subscriptions';
export type HashedRow = LicenseeRow | AgreementRow | SubscriptionRow;

/** Each hashed table's rows of these partners: joined to the partner's account. */
const PARTNER_ROWS: Record<HashedTable, string> = {
  licensees: `FROM marketplace.licensees t
    JOIN marketplace.accounts a ON a.id = t.account_id
   WHERE a.legacy_partner_id = ANY(?::int[])`,
  agreements: `FROM marketplace.agreements t
    JOIN marketplace.accounts a ON a.id = t.account_id
   WHERE a.legacy_partner_id = ANY(?::int[])`,
  subscriptions: `FROM marketplace.subscriptions t
    JOIN marketplace.agreements g ON g.id = t.agreement_id
    JOIN marketplace.accounts a ON a.id = g.account_id
   WHERE a.legacy_partner_id = ANY(?::int[])`,
};

/** The tables a scope narrows to its subscription refs; licensees stay whole (the account side). */
export type ScopedHashedTable = Exclude<HashedTable, 'licensees'>;

/**
 * The scoped rows of a hashed table, of (partner, ref) pairs `?::int[], ?::text[]`: the
 * subscriptions of those refs that are the partner's, and the agreements those belong to. The
 * agreements also take every agreement of the scoped partners (`?::int[]`, the third binding)
 * that has no subscription at all: the mapping never makes one, and one a faulty apply left
 * behind belongs to no ref of any scope.
 */
const SCOPED_ROWS: Record<
  ScopedHashedTable,
  {
    sql: string;
    bindings(pairs: RefPairs, partnerIds: number[]): unknown[];
    /** Has rows for a scoped partner without refs (agreements without subscriptions). */
    withoutRefs: boolean;
  }
> = {
  subscriptions: {
    sql: `FROM unnest(?::int[], ?::text[]) AS s(partner_id, ref)
    JOIN marketplace.subscriptions t ON t.external_ref = s.ref
    JOIN marketplace.agreements g ON g.id = t.agreement_id
    JOIN marketplace.accounts a ON a.id = g.account_id AND a.legacy_partner_id = s.partner_id`,
    bindings: ([partners, texts]) => [partners, texts],
    withoutRefs: false,
  },
  agreements: {
    sql: `FROM marketplace.agreements t
    JOIN marketplace.accounts a ON a.id = t.account_id
   WHERE (a.legacy_partner_id, t.id) IN (
     SELECT s.partner_id, u.agreement_id
       FROM unnest(?::int[], ?::text[]) AS s(partner_id, ref)
       JOIN marketplace.subscriptions u ON u.external_ref = s.ref
     UNION
     SELECT ea.legacy_partner_id, e.id
       FROM marketplace.accounts ea
       JOIN marketplace.agreements e ON e.account_id = ea.id
      WHERE ea.legacy_partner_id = ANY(?::int[])
        AND NOT EXISTS (SELECT 1 FROM marketplace.subscriptions x WHERE x.agreement_id = e.id))`,
    bindings: ([partners, texts], partnerIds) => [partners, texts, partnerIds],
    withoutRefs: true,
  },
};

/** A scope's (partner, ref) pairs as parallel arrays. */
type RefPairs = [number[], string[]];

/** Per partner, its subscription refs of a scope as parallel arrays of (partner, ref) pairs, each pair once. */
function refPairs(refs: ReadonlyMap<number, ReadonlyArray<string>>): RefPairs {
  const partners: number[] = [];
  const texts: string[] = [];
  for (const [partnerId, some] of refs) {
    for (const ref of new Set(some)) {
      partners.push(partnerId);
      texts.push(ref);
    }
  }
  return [partners, texts];
}

const isScoped = (table: HashedTable): table is ScopedHashedTable => table !== 'licensees';

/** These partners' accounts, buyers (by partner or by account) and account users, per partner. */
export async function readAccountSideRows(
  db: Knex,
  partnerIds: ReadonlyArray<number>,
): Promise<Map<number, AccountSideRows>> {
  const result = new Map<number, AccountSideRows>(
    partnerIds.map((id) => [id, { accounts: [], buyers: [], account_users: [] }]),
  );
  if (partnerIds.length === 0) return result;
  const ids = { ids: [...partnerIds] };
  const [accounts, buyers, accountUsers] = await Promise.all([
    db.raw<{ rows: AccountRow[] }>(
      `SELECT * FROM marketplace.accounts
        WHERE legacy_partner_id = ANY(:ids::int[])`,
      ids,
    ),
    db.raw<{ rows: Array<BuyerRow & { account_partner_id: number | null }> }>(
      `SELECT b.*, a.legacy_partner_id AS account_partner_id
         FROM marketplace.buyers b
         LEFT JOIN marketplace.accounts a ON a.id = b.account_id
        WHERE b.legacy_partner_id = ANY(:ids::int[]) OR a.legacy_partner_id = ANY(:ids::int[])`,
      ids,
    ),
    db.raw<{ rows: Array<AccountUserRow & { partner_id: number }> }>(
      `SELECT au.*, a.legacy_partner_id AS partner_id
         FROM marketplace.account_users au
         JOIN marketplace.accounts a ON a.id = au.account_id
        WHERE a.legacy_partner_id = ANY(:ids::int[])`,
      ids,
    ),
  ]);
  for (const row of accounts.rows) result.get(Number(row.legacy_partner_id))?.accounts.push(row);
  for (const { account_partner_id: accountPartner, ...row } of buyers.rows) {
    const owners = new Set([Number(row.legacy_partner_id), Number(accountPartner)]);
    for (const owner of owners) result.get(owner)?.buyers.push(row);
  }
  for (const { partner_id: partner, ...row } of accountUsers.rows) result.get(Number(partner))?.account_users.push(row);
  return result;
}

/** Users by id. */
export async function readUsers(db: Knex, ids: ReadonlyArray<string>): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  const result = await db.raw<{ rows: UserRow[] }>(
    `SELECT * FROM marketplace.users
      WHERE id = ANY(?::text[])`,
    [[...ids]],
  );
  return result.rows;
}

/**
 * Per partner, the count and exact sum of the 60-bit row hashes of its stored rows of a hashed
 * table: the row_hash PostgreSQL keeps for each row (target migration 0008) over the columns
 * verification compares, hashed like core/canonical's rowHash of the expected rows. A partner
 * in `refs` counts only its subscriptions of those refs and their agreements (licensees whole),
 * in a second branch of the same statement.
 */
export async function readMarketplaceHashes(
  db: Knex,
  table: HashedTable,
  partnerIds: ReadonlyArray<number>,
  refs?: ReadonlyMap<number, ReadonlyArray<string>>,
): Promise<Map<number, RangeChecksum>> {
  if (partnerIds.length === 0) return new Map();
  const scoped = refs !== undefined && isScoped(table);
  const whole = scoped ? partnerIds.filter((id) => !refs.has(id)) : [...partnerIds];
  const wanted = new Set(partnerIds);
  const scopedIds = scoped ? partnerIds.filter((id) => refs.has(id)) : [];
  const pairs: RefPairs = scoped
    ? refPairs(new Map([...refs].filter(([partnerId]) => wanted.has(partnerId))))
    : [[], []];
  const aggregate = `SELECT a.legacy_partner_id AS p, count(*)::int AS n, sum(${storedRowHash()})::text AS total`;
  const branches: string[] = [];
  const bindings: unknown[] = [];
  if (whole.length > 0) {
    branches.push(`${aggregate}
       ${PARTNER_ROWS[table]}
      GROUP BY 1`);
    bindings.push(whole);
  }
  // A scoped partner without refs still has its agreements without subscriptions looked for.
  if (scoped && (pairs[1].length > 0 || (SCOPED_ROWS[table].withoutRefs && scopedIds.length > 0))) {
    branches.push(`${aggregate}
       ${SCOPED_ROWS[table].sql}
      GROUP BY 1`);
    bindings.push(...SCOPED_ROWS[table].bindings(pairs, scopedIds));
  }
  if (branches.length === 0) return new Map();
  const result = await db.raw<{ rows: Array<{ p: number; n: number; total: string }> }>(
    branches.length === 1 ? branches[0] : branches.map((branch) => `(${branch})`).join(' UNION ALL '),
    bindings as Knex.RawBinding[],
  );
  return new Map(
    result.rows.map((row) => [Number(row.p), { count: row.n, sum: row.total, minKey: null, maxKey: null }]),
  );
}

/**
 * The row hash of a hashed table's stored rows computed from their columns now (`columns`, id
 * first; each as its ::text, which dates give as YYYY-MM-DD under the DateStyle ISO every pipeline
 * session starts with): what the stored row_hash must equal. For tests of that generated column.
 */
export function marketplaceRowHashExpression(columns: ReadonlyArray<string>): string {
  return rowHashOfTexts(columns.map((column) => `coalesce(t.${column}::text, chr(${NULL_MARKER.charCodeAt(0)}))`));
}

/**
 * One partner's stored rows of a hashed table, read when its hash differs from the expected
 * rows'; with `refs`, its subscriptions of those refs and their agreements only (licensees whole).
 */
export async function readMarketplaceTableRows<Row extends HashedRow>(
  db: Knex,
  table: HashedTable,
  partnerId: number,
  refs?: ReadonlyArray<string>,
): Promise<Row[]> {
  if (refs !== undefined && isScoped(table)) {
    const { sql, bindings, withoutRefs } = SCOPED_ROWS[table];
    if (refs.length === 0 && !withoutRefs) return [];
    const rows = await db.raw<{ rows: Row[] }>(
      `SELECT t.* ${sql}`,
      bindings(refPairs(new Map([[partnerId, refs]])), [partnerId]) as Knex.RawBinding[],
    );
    return rows.rows;
  }
  return (await db.raw<{ rows: Row[] }>(`SELECT t.* ${PARTNER_ROWS[table]}`, [[partnerId]])).rows;
}
