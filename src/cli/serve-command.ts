import { InvalidArgumentError, type Command } from 'commander';
import type { Config } from '../core/config';
import { UsageError } from '../core/errors';
import { nonNegativeInt, positiveInt } from './arguments';

/** A TCP port, 0 for any free one. */
function port(value: string): number {
  const n = nonNegativeInt(value);
  if (n > 65535) throw new InvalidArgumentError('must be a port from 0 to 65535');
  return n;
}

const out = (text: string) => process.stdout.write(`${text}\n`);

/** The first line of standard input: a password piped in, never an argument (argv is visible to every user). */
async function readFirstLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** `ppm serve`: the web console until SIGINT or SIGTERM; `--hash-password` prints a CONSOLE_USERS hash. */
export function registerServeCommand(program: Command, getConfig: () => Config): void {
  program
    .command('serve')
    .description(
      'the web console: waves, partners, reports, quarantine and the queues in a browser (loopback only without CONSOLE_USERS)',
    )
    .option('--host <address>', 'address to listen on; beyond loopback CONSOLE_USERS is required', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: any free port)', port, 8080)
    .option('--live-interval <ms>', "how often a wave page's live panel is refreshed, in ms", positiveInt, 1000)
    .option('--hash-password', 'read a password from standard input and print its hash for CONSOLE_USERS, then exit')
    .action(async (options: { host: string; port: number; liveInterval: number; hashPassword?: boolean }) => {
      // Loaded when asked for: the server and its plugins stay out of every other command's start.
      const { hashPassword, startConsole } = await import('../console');
      if (options.hashPassword) {
        const password = await readFirstLine();
        if (password.length < 8) throw new UsageError('give a password of at least 8 characters on standard input');
        out(await hashPassword(password));
        return;
      }
      const config = getConfig();
      const running = await startConsole(config, {
        host: options.host,
        port: options.port,
        liveIntervalMs: options.liveInterval,
      });
      const users = config.CONSOLE_USERS;
      out(
        `console at ${running.url} (${users ? `login required: ${users.length} user(s)` : 'no login: loopback only, you act as the local operator'})`,
      );
      out('stop it with Ctrl-C');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await running.close();
    });
}
