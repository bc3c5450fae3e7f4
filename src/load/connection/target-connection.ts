import type { Knex } from 'knex';
import type { ClientBase } from 'pg';

/**
 * What the load verbs that stream COPY accept: a knex transaction, or a node-postgres client
 * on which the caller has already run BEGIN.
 */
export type LoadTransaction = Knex.Transaction | ClientBase;

// knex instances and transactions are functions; pg clients are not.
function isKnex(db: LoadTransaction): db is Knex.Transaction {
  return typeof db === 'function';
}

/** knex's pool, as far as borrowing one node-postgres connection goes. */
interface KnexPool {
  acquireConnection(): Promise<ClientBase>;
  releaseConnection(connection: ClientBase): Promise<void>;
}

/**
 * Runs `work` on a node-postgres connection borrowed from knex's pool (for what knex cannot
 * send: COPY streams), outside any transaction; the connection goes back when `work` settles.
 */
export async function withPoolConnection<T>(db: Knex, work: (connection: ClientBase) => Promise<T>): Promise<T> {
  const pool = db.client as unknown as KnexPool;
  const connection = await pool.acquireConnection();
  try {
    return await work(connection);
  } finally {
    await pool.releaseConnection(connection);
  }
}

/**
 * The node-postgres connection under a knex transaction. A knex transaction's client is
 * bound to its one connection (knex's makeTxClient), so its acquireConnection() hands back
 * that connection: statements sent on it are part of the transaction, COPY included.
 */
export async function pgConnectionOf(db: LoadTransaction): Promise<ClientBase> {
  if (!isKnex(db)) return db;
  if (db.isTransaction !== true) throw new TypeError('a knex transaction is required (db.transaction(...))');
  return (db.client as unknown as KnexPool).acquireConnection();
}
