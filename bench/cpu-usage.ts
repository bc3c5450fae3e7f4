/**
 * Where a step's CPU went, per process kind on this machine (the bench's databases run here):
 * this node process, PostgreSQL, MariaDB and Redis, in CPU seconds, from /proc. A server's
 * figure is its live processes' user and system time plus what its exited children left in the
 * parent's (a PostgreSQL backend that ended during the step), so the difference of two samples
 * is the step's. Linux only; elsewhere every figure is undefined.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ: 100 on every Linux this runs on). */
const TICKS = 100;

const KINDS: Record<string, 'postgres' | 'mariadb' | 'redis'> = {
  postgres: 'postgres',
  mariadbd: 'mariadb',
  mysqld: 'mariadb',
  'redis-server': 'redis',
};

export interface CpuSample {
  atMs: number;
  node: number;
  postgres?: number;
  mariadb?: number;
  redis?: number;
}

export interface CpuUsage {
  wallSeconds: number;
  /** CPU seconds each used between the samples. */
  node: number;
  postgres?: number;
  mariadb?: number;
  redis?: number;
  /** Every core's seconds over the wall time: what a fully busy machine would have spent. */
  capacity: number;
}

function readStat(pid: string): { comm: string; own: number; children: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may hold spaces; the fields after it are space separated.
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    // After comm: state(0) ... utime(11) stime(12) cutime(13) cstime(14).
    const own = Number(fields[11]) + Number(fields[12]);
    const children = Number(fields[13]) + Number(fields[14]);
    return { comm, own, children };
  } catch {
    return undefined; // gone between the listing and the read
  }
}

export function sampleCpu(): CpuSample {
  const usage = process.cpuUsage();
  const sample: CpuSample = { atMs: Date.now(), node: (usage.user + usage.system) / 1e6 };
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return sample;
  }
  const ticks: Partial<Record<'postgres' | 'mariadb' | 'redis', number>> = {};
  for (const pid of pids) {
    const stat = readStat(pid);
    if (!stat) continue;
    const kind = KINDS[stat.comm];
    if (!kind) continue;
    ticks[kind] = (ticks[kind] ?? 0) + stat.own + stat.children;
  }
  for (const [kind, value] of Object.entries(ticks)) sample[kind as 'postgres'] = value / TICKS;
  return sample;
}

export function cpuBetween(before: CpuSample, after: CpuSample, cores: number): CpuUsage {
  const wallSeconds = (after.atMs - before.atMs) / 1000;
  const delta = (key: 'postgres' | 'mariadb' | 'redis') =>
    before[key] === undefined || after[key] === undefined ? undefined : Math.max(0, after[key]! - before[key]!);
  return {
    wallSeconds,
    node: after.node - before.node,
    postgres: delta('postgres'),
    mariadb: delta('mariadb'),
    redis: delta('redis'),
    capacity: wallSeconds * cores,
  };
}

export function describeCpu(usage: CpuUsage): string {
  const part = (label: string, seconds: number | undefined) =>
    seconds === undefined
      ? `${label} -`
      : `${label} ${seconds.toFixed(1)} s (${((seconds / usage.capacity) * 100).toFixed(0)} %)`;
  const busy = usage.node + (usage.postgres ?? 0) + (usage.mariadb ?? 0) + (usage.redis ?? 0);
  return (
    `${part('this process', usage.node)}, ${part('PostgreSQL', usage.postgres)}, ${part('MariaDB', usage.mariadb)}, ` +
    `${part('Redis', usage.redis)}; ${((busy / usage.capacity) * 100).toFixed(0)} % of ${usage.capacity.toFixed(0)} core-seconds`
  );
}
