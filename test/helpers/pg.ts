import { Client } from 'pg';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The rows of one statement against a PostgreSQL database, on a connection of its own. */
export async function queryRows<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The number a `SELECT count(*)::int AS n ...` statement gives. */
export async function countRows(url: string, sql: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(url, sql);
  return Number(row!.n);
}

/** A wait that does not keep the process alive: for the bound of a race, left pending when the race is won. */
export const deadline = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
