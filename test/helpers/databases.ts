import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import mysql from 'mysql2/promise';

const PG_ADMIN = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MARIADB_ADMIN = process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/';
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniqueName(tag: string): string {
  return `ppm_t_${tag.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A new, empty PostgreSQL database for one test file. */
export async function freshPostgres(tag: string): Promise<TestDatabase> {
  const name = uniqueName(tag);
  const admin = new Client({ connectionString: PG_ADMIN });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new Client({ connectionString: PG_ADMIN });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A new, empty MariaDB database for one test file (the legacy stand-in). */
export async function freshMariaDb(tag: string): Promise<TestDatabase> {
  const name = uniqueName(tag);
  const admin = await mysql.createConnection(MARIADB_ADMIN);
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  const url = new URL(MARIADB_ADMIN);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const connection = await mysql.createConnection(MARIADB_ADMIN);
      try {
        await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await connection.end();
      }
    },
  };
}

/** A BullMQ key prefix no other test uses, so queues never meet. */
export function freshQueuePrefix(tag: string): string {
  return uniqueName(tag);
}

export const TEST_REDIS_URL = REDIS;

/** Removes every Redis key of a test's queue prefix (BullMQ keys and the wave leases). */
export async function dropQueues(prefix: string): Promise<void> {
  const { default: IORedis } = await import('ioredis');
  const redis = new IORedis(REDIS, { maxRetriesPerRequest: null });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
