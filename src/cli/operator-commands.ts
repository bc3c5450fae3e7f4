import type { Command } from 'commander';
import type { Config } from '../core/config';
import { redactText } from '../core/redact';
import { PARTNER_STATES } from '../load';
import {
  resendInvitations,
  revokeInvitations,
  type InvitationSelection,
  type ResendResult,
  type RevokeResult,
  type SkippedInvitation,
} from '../../pipelines/commands/invitations';
import { EFFECT_KINDS, retryFailedEffects } from '../../pipelines/commands/notify-retry';
import { INVITATION_STATUSES, OUTBOX_STATES, readStatus, type OperatorStatus } from '../../pipelines/commands/status';
import { positiveInt } from './arguments';
import { renderTable } from './table';
import { withServices } from './with-services';

const out = (text: string) => process.stdout.write(`${text}\n`);

/** Failures a human-readable `ppm status` lists at most; `--json` lists them all. */
export const STATUS_FAILURES_SHOWN = 50;

/** A table of text columns, each left-aligned (renderTable right-aligns all but the first, for numbers). */
function leftAlignedTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/** `ppm status` for a person: a table each of waves, outbox, invitations and failures. */
export function renderStatus(status: OperatorStatus, maxFailures = STATUS_FAILURES_SHOWN): string {
  const sections: string[] = [];
  sections.push(
    status.waves.length === 0
      ? 'no waves planned'
      : renderTable(
          ['wave', 'status', ...PARTNER_STATES, 'partners'],
          status.waves.map((wave) => [
            wave.name,
            wave.status,
            ...PARTNER_STATES.map((state) => wave.partners[state]),
            wave.total,
          ]),
        ),
  );
  const kinds = Object.keys(status.outbox);
  sections.push(
    renderTable(
      ['outbox', ...OUTBOX_STATES],
      kinds.map((kind) => [kind, ...OUTBOX_STATES.map((state) => status.outbox[kind]![state])]),
    ),
  );
  sections.push(
    renderTable(
      ['invitations', 'count'],
      INVITATION_STATUSES.map((name) => [name, status.invitations[name]]),
    ),
  );
  sections.push(renderSyncStatus(status.sync));
  if (status.failures.length === 0) {
    sections.push('no failures');
  } else {
    const shown = status.failures.slice(0, maxFailures);
    const lines = [
      `${status.failures.length} failure(s):`,
      leftAlignedTable(
        ['partner', 'kind', 'event key', 'reason'],
        shown.map((failure) => [
          String(failure.partnerId),
          failure.kind,
          failure.eventKey ?? '-',
          // One line per failure: a reason's own line breaks would break the table.
          redactText(failure.reason).replace(/\s+/g, ' '),
        ]),
      ),
    ];
    if (status.failures.length > shown.length)
      lines.push(`... and ${status.failures.length - shown.length} more (\`ppm status --json\` lists them all)`);
    sections.push(lines.join('\n'));
  }
  return sections.join('\n\n');
}

/** The nightly sync's lines of `ppm status`. */
export function renderSyncStatus(sync: OperatorStatus['sync']): string {
  const lines: string[] = [];
  const { last, schedule } = sync;
  lines.push(
    last
      ? `sync: last run ${last.runId} ${last.status}, started ${last.startedAt}` +
          (last.finishedAt ? `, finished ${last.finishedAt}` : '') +
          (last.touched !== null ? `, ${last.touched} partner(s) changed` : '')
      : 'sync: never run',
  );
  if (schedule) {
    const next = schedule.next ? new Date(schedule.next).toISOString() : '-';
    lines.push(`sync schedule: "${schedule.pattern}" (${schedule.tz}), next run ${next}`);
    if (schedule.missed)
      lines.push(`sync MISSED: the run due at ${next} was not taken by any worker (is \`ppm worker\` running?)`);
  } else if (sync.scheduleLost) {
    lines.push(
      `sync MISSED: the schedule "${sync.scheduleLost.pattern}" (${sync.scheduleLost.tz}) is gone from Redis ` +
        '(restarted without persistence?); a running `ppm worker` registers it again within a minute, ' +
        'or run `ppm sync schedule` again',
    );
  } else {
    lines.push(sync.scheduleError ? `sync schedule: unknown (${sync.scheduleError})` : 'sync schedule: none');
  }
  if (sync.stalledSince)
    lines.push(`sync watermark has not moved since ${sync.stalledSince} (longer than SYNC_STALL_WARN)`);
  return lines.join('\n');
}

function describeSkipped(skipped: SkippedInvitation[]): string[] {
  return skipped.map((skip) => `  skipped ${skip.accountUserId} (partner ${skip.partnerId}): ${skip.reason}`);
}

/** What `ppm invitations resend` did, one line, then one per account user skipped. */
export function describeResend(result: ResendResult): string {
  return [
    `resent ${result.resent} invitation(s) with a new token (the old one revoked), ${result.skipped.length} skipped` +
      (result.resent > 0 ? '; the outbox relay sends them' : ''),
    ...describeSkipped(result.skipped),
  ].join('\n');
}

/** What `ppm invitations revoke` did, one line, then one per account user skipped. */
export function describeRevoke(result: RevokeResult): string {
  return [
    `revoked ${result.revoked} invitation(s), ${result.outboxFailed} unsent invitation message(s) stopped, ` +
      `${result.skipped.length} skipped`,
    ...describeSkipped(result.skipped),
  ].join('\n');
}

function invitationSelection(options: { accountUser?: string; partner?: number }): InvitationSelection {
  return {
    ...(options.accountUser !== undefined ? { accountUserId: options.accountUser } : {}),
    ...(options.partner !== undefined ? { partnerId: options.partner } : {}),
  };
}

/** The `notify` command registered before (src/cli/notify-commands.ts). */
function notifyCommand(program: Command): Command {
  const notify = program.commands.find((command) => command.name() === 'notify');
  if (!notify) throw new Error('registerOperatorCommands needs the notify command registered first');
  return notify;
}

/**
 * `ppm status`, `ppm notify retry`, `ppm invitations resend` and `ppm invitations revoke`: what an
 * operator looks at and does once effects are in the outbox. Exit 0 when the command did what it
 * says (nothing to do included), 2 on usage errors.
 */
export function registerOperatorCommands(
  program: Command,
  getConfig: () => Config,
  setExit: (code: number) => void,
): void {
  program
    .command('status [wave]')
    .description(
      'partners per lifecycle state, outbox effects per kind and state, failures with their reasons, invitations per status',
    )
    .option('--json', 'one JSON document instead of tables')
    .action(async (wave: string | undefined, options: { json?: boolean }) => {
      const status = await withServices(getConfig(), (services) => readStatus(services, wave));
      out(options.json ? JSON.stringify(status, null, 2) : renderStatus(status));
      setExit(0);
    });

  notifyCommand(program)
    .command('retry')
    .description('put failed outbox effects back to pending, for the relay to perform them again')
    .option('--kind <kind>', `only effects of this kind (${EFFECT_KINDS.join(', ')})`)
    .option('--partner <id>', 'only effects of this legacy partner', positiveInt)
    .option('--wave <name>', 'only effects of this wave')
    .action(async (options: { kind?: string; partner?: number; wave?: string }) => {
      const retried = await withServices(getConfig(), (services) =>
        retryFailedEffects(services, { kind: options.kind, partnerId: options.partner, waveName: options.wave }),
      );
      out(
        retried === 0
          ? 'no failed effect matched; nothing re-queued'
          : `re-queued ${retried} failed effect(s): pending again, the outbox relay hands them to their queues`,
      );
      setExit(0);
    });

  const invitations = program
    .command('invitations')
    .description('resend or revoke the marketplace invitations of account users');
  invitations
    .command('resend')
    .description(
      'send the invitation again with a new token and expiry, the old one revoked (never an accepted or revoked one)',
    )
    .option('--account-user <id>', 'the marketplace account user (AUSR-...)')
    .option('--partner <id>', 'every account user of this legacy partner', positiveInt)
    .action(async (options: { accountUser?: string; partner?: number }) => {
      const result = await withServices(getConfig(), (services) =>
        resendInvitations(services, invitationSelection(options)),
      );
      out(describeResend(result));
      setExit(0);
    });
  invitations
    .command('revoke')
    .description('revoke the invitation so that it can no longer be accepted nor be sent again')
    .option('--account-user <id>', 'the marketplace account user (AUSR-...)')
    .option('--partner <id>', 'every account user of this legacy partner', positiveInt)
    .action(async (options: { accountUser?: string; partner?: number }) => {
      const result = await withServices(getConfig(), (services) =>
        revokeInvitations(services, invitationSelection(options)),
      );
      out(describeRevoke(result));
      setExit(0);
    });
}
