import { z } from 'zod';
import { findWave } from '../load';
import { redactText } from '../core/redact';
import { resendInvitations, revokeInvitations } from '../../pipelines/commands/invitations';
import { retryFailedEffects } from '../../pipelines/commands/notify-retry';
import { verifyWave } from '../../pipelines/commands/verify-wave';
import type { Services } from '../../pipelines/services';
import { recordConsoleAction, type ConsoleAction } from './sql/console-actions';
import { readPartnerInWave } from './sql/read-partner';
import type { Actor } from './sessions';

const partnerId = z.coerce.number().int().positive();
const accountUserId = z.string().regex(/^AUSR-[\d-]+$/, 'an account user id (AUSR-...)');

/** The form fields each action takes (the same choices as its CLI command). */
export const CONSOLE_ACTION_BODIES = {
  'retry-effects': z.object({ kind: z.string().min(1), partnerId, wave: z.string().min(1).optional() }),
  'resend-invitation': z.object({ accountUserId, partnerId }),
  'revoke-invitation': z.object({ accountUserId, partnerId }),
  'reverify-partner': z.object({ wave: z.string().min(1), partnerId }),
} satisfies Record<ConsoleAction, z.ZodType>;

type Bodies = { [K in ConsoleAction]: z.infer<(typeof CONSOLE_ACTION_BODIES)[K]> };

/** Runs the CLI's code for the action, then records who did it and what came of it (or why it was refused). */
export async function runConsoleAction<A extends ConsoleAction>(
  services: Services,
  actor: Actor,
  action: A,
  body: Bodies[A],
): Promise<{ id: string; outcome: unknown; error: string | null }> {
  const { target } = services;
  const fields = body as Bodies[ConsoleAction];
  let subject: string | null = null;
  let outcome: unknown = null;
  let error: string | null = null;
  try {
    switch (action) {
      case 'retry-effects': {
        const b = fields as Bodies['retry-effects'];
        subject = b.kind;
        outcome = {
          retried: await retryFailedEffects(services, { kind: b.kind, partnerId: b.partnerId, waveName: b.wave }),
        };
        break;
      }
      case 'resend-invitation': {
        const b = fields as Bodies['resend-invitation'];
        subject = b.accountUserId;
        outcome = await resendInvitations(services, { accountUserId: b.accountUserId });
        break;
      }
      case 'revoke-invitation': {
        const b = fields as Bodies['revoke-invitation'];
        subject = b.accountUserId;
        outcome = await revokeInvitations(services, { accountUserId: b.accountUserId });
        break;
      }
      case 'reverify-partner': {
        const b = fields as Bodies['reverify-partner'];
        subject = b.wave;
        const result = await verifyWave(services, b.wave, { partnerId: b.partnerId });
        outcome = { runId: result.runId, passed: result.passed, sha256: result.sha256 };
        break;
      }
    }
  } catch (caught) {
    error = redactText(caught instanceof Error ? caught.message : String(caught));
  }
  const wave =
    'wave' in fields && fields.wave
      ? await findWave(target, fields.wave)
      : await readPartnerInWave(target, fields.partnerId).then((p) => (p ? { id: p.waveId } : undefined));
  const id = await recordConsoleAction(target, {
    actor: actor.name,
    role: actor.role,
    action,
    waveId: wave?.id ?? null,
    partnerId: fields.partnerId,
    subject,
    outcome,
    error,
  });
  return { id, outcome, error };
}
