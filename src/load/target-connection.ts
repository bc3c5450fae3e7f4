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

/**
 * The node-postgres connection under a knex transaction. A knex transaction's client is
 * bound to its one connection (knex's makeTxClient), so its acquireConnection() hands back
 * that connection: statements sent on it are part of the transaction, COPY included.
 */
export async function pgConnectionOf(db: LoadTransaction): Promise<ClientBase> {
  if (!isKnex(db)) return db;
  if (db.isTransaction !== true) throw new TypeError('a knex transaction is required (db.transaction(...))');
  const client = db.client as unknown as { acquireConnection(): Promise<ClientBase> };
  return client.acquireConnection();
}
