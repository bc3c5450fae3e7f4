/**
 * The bench's shapes of portal: `wide` (a few hundred partners) and `longtail` (thousands of
 * partners, most of them small), both of about BENCH_ROWS legacy rows, and the databases and
 * configuration of each. Every database name starts with BENCH_DB_PREFIX.
 */
import { loadConfig, withDatabase, type Config } from '../src/core/config';

export type ShapeName = 'wide' | 'longtail';

export interface Shape {
  name: ShapeName;
  partners: number;
  /** Legacy rows asked of the seeder (it gives about this many). */
  rows: number;
  /** Seed of the generator: the same shape gives the same portal. */
  seed: number;
}

export const SHAPE_NAMES: readonly ShapeName[] = ['wide', 'longtail'];

function positive(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer: ${text}`);
  return value;
}

/** The shapes BENCH_SHAPES names (default `wide,longtail`), in that order. */
export function shapesOfEnv(): Shape[] {
  const names = (process.env.BENCH_SHAPES ?? 'wide,longtail')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) throw new Error('BENCH_SHAPES names no shape');
  return [...new Set(names)].map((name) => shapeOf(name));
}

export function shapeOf(name: string): Shape {
  if (!(SHAPE_NAMES as readonly string[]).includes(name))
    throw new Error(`unknown shape "${name}": the shapes are ${SHAPE_NAMES.join(', ')}`);
  const rows = positive('BENCH_ROWS', 1_000_000);
  const partners =
    name === 'wide'
      ? // BENCH_PARTNERS, the variable of the one-shape bench, still sets the wide shape.
        positive('BENCH_PARTNERS_WIDE', positive('BENCH_PARTNERS', 200))
      : positive('BENCH_PARTNERS_LONGTAIL', 4000);
  return { name: name as ShapeName, partners, rows, seed: 7 };
}

export function dbPrefix(): string {
  const prefix = process.env.BENCH_DB_PREFIX ?? 'ppm_bench';
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(prefix))
    throw new Error(`BENCH_DB_PREFIX must be lower-case letters, digits and "_": ${prefix}`);
  return prefix;
}

export interface ShapeDatabases {
  legacy: string;
  marketplace: string;
  /** The scratch PostgreSQL database pgloader loads the legacy tables into. */
  pgloader: string;
}

export function databasesOf(shape: Shape): ShapeDatabases {
  const base = `${dbPrefix()}_${shape.name}`;
  return { legacy: `${base}_legacy`, marketplace: `${base}_marketplace`, pgloader: `${base}_pgloader` };
}

/** The configuration of one shape's run: its own databases and queue prefix, LOG_LEVEL warn by default. */
export function configOf(shape: Shape): Config {
  const base = loadConfig();
  const databases = databasesOf(shape);
  return loadConfig({
    ...process.env,
    LEGACY_DATABASE_URL: withDatabase(base.LEGACY_DATABASE_URL, databases.legacy),
    MARKETPLACE_DATABASE_URL: withDatabase(base.MARKETPLACE_DATABASE_URL, databases.marketplace),
    QUEUE_PREFIX: `ppm-bench-${shape.name}-${Date.now()}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
}
