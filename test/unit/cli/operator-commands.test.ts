import { describeResend, describeRevoke, renderStatus } from '../../../src/cli/operator-commands';
import { UsageError } from '../../../src/core/errors';
import { nextResendNumber, resendEventKey } from '../../../pipelines/commands/invitations';
import { parseEffectKind } from '../../../pipelines/commands/notify-retry';
import type { OperatorStatus } from '../../../pipelines/commands/status';

const counts = (pending: number, enqueued: number, done: number, failed: number) => ({
  pending,
  enqueued,
  done,
  failed,
});

const status = (failures: OperatorStatus['failures']): OperatorStatus => ({
  wave: 'wave-01',
  waves: [
    {
      name: 'wave-01',
      status: 'finished',
      partners: { planned: 0, notified: 0, loading: 0, loaded: 0, verified: 1, cutover: 2, done: 9, failed: 1 },
      total: 13,
    },
  ],
  outbox: { 'portal-mode': counts(0, 0, 24, 0), invitation: counts(1, 2, 30, 1) },
  failures,
  invitations: { open: 1, sent: 28, expired: 2, accepted: 3, revoked: 1, superseded: 1 },
  sync: {
    last: {
      runId: '41',
      status: 'succeeded',
      startedAt: '2026-11-30T01:00:00.000Z',
      finishedAt: '2026-11-30T01:00:04.000Z',
      watermark: '900',
      touched: 3,
    },
    schedule: { pattern: '0 2 * * *', tz: 'Europe/Zurich', next: Date.parse('2026-12-01T01:00:00.000Z'), missed: true },
    scheduleError: null,
    scheduleLost: null,
    stalledSince: null,
  },
});

describe('ppm status, as tables', () => {
  it('shows partners per state, outbox per kind and state, invitations per status and each failure', () => {
    const text = renderStatus(
      status([
        { partnerId: 7, kind: 'partner', eventKey: null, reason: 'verification failed: completeness' },
        { partnerId: 12, kind: 'invitation', eventKey: 'invitation.AUSR-0001-0002', reason: 'SMTP 550:\nno such user' },
      ]),
    );
    expect(text).toBe(
      [
        'wave     status    planned  notified  loading  loaded  verified  cutover  done  failed  partners',
        '-------  --------  -------  --------  -------  ------  --------  -------  ----  ------  --------',
        'wave-01  finished        0         0        0       0         1        2     9       1        13',
        '',
        'outbox       pending  enqueued  done  failed',
        '-----------  -------  --------  ----  ------',
        'portal-mode        0         0    24       0',
        'invitation         1         2    30       1',
        '',
        'invitations  count',
        '-----------  -----',
        'open             1',
        'sent            28',
        'expired          2',
        'accepted         3',
        'revoked          1',
        'superseded       1',
        '',
        'sync: last run 41 succeeded, started 2026-11-30T01:00:00.000Z, finished 2026-11-30T01:00:04.000Z, 3 partner(s) changed',
        'sync schedule: "0 2 * * *" (Europe/Zurich), next run 2026-12-01T01:00:00.000Z',
        'sync MISSED: the run due at 2026-12-01T01:00:00.000Z was not taken by any worker (is `ppm worker` running?)',
        '',
        '2 failure(s):',
        'partner  kind        event key                  reason',
        '-------  ----------  -------------------------  ---------------------------------',
        '7        partner     -                          verification failed: completeness',
        '12       invitation  invitation.AUSR-0001-0002  SMTP 550: no such user',
      ].join('\n'),
    );
  });

  it('lists at most the given number of failures, says how many more, and never an e-mail address', () => {
    const failures = Array.from({ length: 5 }, (_, i) => ({
      partnerId: i + 1,
      kind: 'account-migrated',
      eventKey: `account-migrated.${i + 1}.1`,
      reason: `SMTP 550: <jane.doe${i}@example.com> unknown`,
    }));
    const text = renderStatus(status(failures), 2);
    expect(text).toContain('5 failure(s):');
    expect(text).toContain('account-migrated.2.1');
    expect(text).not.toContain('account-migrated.3.1');
    expect(text).toContain('... and 3 more (`ppm status --json` lists them all)');
    expect(text).not.toMatch(/jane\.doe/);
    expect(text).toContain('***@example.com');
  });

  it('says so when there is no wave and no failure', () => {
    const text = renderStatus({ ...status([]), waves: [] });
    expect(text.startsWith('no waves planned\n')).toBe(true);
    expect(text.endsWith('\nno failures')).toBe(true);
  });
});

describe('what resend and revoke did', () => {
  it('counts, then one line per account user skipped with the reason', () => {
    expect(
      describeResend({
        resent: 2,
        eventKeys: ['invitation.A.resend.1', 'invitation.B.resend.1'],
        skipped: [{ accountUserId: 'AUSR-1', partnerId: 4, reason: 'accepted' }],
      }),
    ).toBe(
      'resent 2 invitation(s) with a new token (the old one revoked), 1 skipped; the outbox relay sends them\n' +
        '  skipped AUSR-1 (partner 4): accepted',
    );
    expect(describeRevoke({ revoked: 1, outboxFailed: 1, skipped: [] })).toBe(
      'revoked 1 invitation(s), 1 unsent invitation message(s) stopped, 0 skipped',
    );
  });
});

describe('resend event keys and effect kinds', () => {
  it('numbers resends after the highest one so far, with no colon (BullMQ job ids refuse it)', () => {
    expect(nextResendNumber('AUSR-1', ['invitation.AUSR-1'])).toBe(1);
    expect(
      nextResendNumber('AUSR-1', ['invitation.AUSR-1', 'invitation.AUSR-1.resend.1', 'invitation.AUSR-1.resend.3']),
    ).toBe(4);
    expect(nextResendNumber('AUSR-1', ['invitation.AUSR-10.resend.7'])).toBe(1);
    expect(resendEventKey('AUSR-1', 2)).toBe('invitation.AUSR-1.resend.2');
    expect(resendEventKey('AUSR-1', 2)).not.toContain(':');
  });

  it('knows the message kinds and portal-mode, and lists them for an unknown one', () => {
    expect(parseEffectKind('portal-mode')).toBe('portal-mode');
    expect(parseEffectKind('webinar-invitation')).toBe('webinar-invitation');
    expect(() => parseEffectKind('fax')).toThrow(UsageError);
    expect(() => parseEffectKind('fax')).toThrow(
      'unknown effect kind "fax"; the kinds are portal-mode, migration-scheduled, account-migrated, invitation, csp-enrollment, webinar-invitation',
    );
  });
});
