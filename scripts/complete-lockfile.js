#!/usr/bin/env node
/**
 * Adds lock entries for other platforms' optional packages (swc, msgpackr-extract, unrs
 * resolver bindings) that `npm install` leaves out when the registry it reaches does not serve
 * them; without them `npm ci` refuses the lock as out of sync. Each entry carries os/cpu, so
 * `npm ci` skips it on other platforms. Run after `npm install`: node scripts/complete-lockfile.js
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const lockPath = path.join(root, 'package-lock.json');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-'));
fs.copyFileSync(path.join(root, 'package.json'), path.join(scratch, 'package.json'));
fs.copyFileSync(lockPath, path.join(scratch, 'package-lock.json'));
let log = '';
try {
  execFileSync('npm', ['ci', '--ignore-scripts', '--dry-run', '--no-audit', '--no-fund'], {
    cwd: scratch,
    stdio: 'pipe',
  });
} catch (error) {
  log = `${error.stdout ?? ''}${error.stderr ?? ''}`;
}
fs.rmSync(scratch, { recursive: true, force: true });
const missing = [...log.matchAll(/Missing: (\S+?)@(\S*) from lock file/g)].map((m) => m[1]);
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const wanted = new Map();
for (const meta of Object.values(lock.packages)) {
  for (const [name, spec] of Object.entries(meta.optionalDependencies ?? {}))
    if (!wanted.has(name)) wanted.set(name, spec);
}
const pick = (name, table) => table.find(([needle]) => name.includes(needle))?.[1];
for (const name of missing) {
  const spec = wanted.get(name);
  if (!spec) throw new Error(`no version requested for ${name}`);
  const entry = { version: spec.replace(/^[\^~=]/, ''), optional: true };
  const cpu = pick(name, [
    ['arm64', 'arm64'],
    ['x64', 'x64'],
    ['ia32', 'ia32'],
    ['arm-', 'arm'],
    ['-arm', 'arm'],
    ['ppc64', 'ppc64'],
    ['s390x', 's390x'],
    ['riscv64', 'riscv64'],
    ['loong64', 'loong64'],
    ['wasm32', 'wasm32'],
  ]);
  const system = pick(name, [
    ['darwin', 'darwin'],
    ['win32', 'win32'],
    ['linux', 'linux'],
    ['freebsd', 'freebsd'],
    ['android', 'android'],
    ['openharmony', 'openharmony'],
  ]);
  if (cpu) entry.cpu = [cpu];
  if (system) entry.os = [system];
  if (name.includes('musl')) entry.libc = ['musl'];
  else if (name.includes('gnu') && system === 'linux') entry.libc = ['glibc'];
  lock.packages[`node_modules/${name}`] = entry;
}
const [rootEntry, ...rest] = Object.entries(lock.packages);
lock.packages = Object.fromEntries([rootEntry, ...rest.sort(([a], [b]) => (a < b ? -1 : 1))]);
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`added ${missing.length} lock entries\n`);
