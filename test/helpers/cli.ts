import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const PPM = join(__dirname, '..', '..', 'bin', 'ppm.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `ppm` (the built CLI, as a user runs it) with extra environment. */
export function startPpm(
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [PPM, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runPpm(args: string[], env: Record<string, string>): Promise<CliResult> {
  return startPpm(args, env).done;
}
