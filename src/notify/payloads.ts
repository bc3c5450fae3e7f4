import { z } from 'zod';

/**
 * Job payloads of the BullMQ queues `portal`, `notifications` and `invitations`, as stored in
 * `migration.outbox.payload` and carried as the job's data. Versioned: a consumer checks `v`
 * and refuses a version it does not know. The job id is the payload's `eventKey`.
 */

/** The portal banner and mode a partner's legacy portal shows (`Partners.PortalMode`). */
export const PORTAL_MODES = ['MigrationScheduled', 'Migrated', 'Archive'] as const;

/** Message kinds, as sent in the `X-Notification-Kind` header. */
export const MESSAGE_KINDS = [
  'migration-scheduled',
  'account-migrated',
  'invitation',
  'csp-enrollment',
  'webinar-invitation',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Every outbox effect kind: a legacy `PortalMode` write or a message. */
export type EffectKind = 'portal-mode' | MessageKind;

/** The queue each kind goes through. */
export type EffectQueue = 'portal' | 'notifications' | 'invitations';

export function queueOfKind(kind: EffectKind): EffectQueue {
  if (kind === 'portal-mode') return 'portal';
  return kind === 'invitation' ? 'invitations' : 'notifications';
}

/** `portal` queue, version 1: set the partner's legacy `PortalMode`. */
export const portalModePayloadSchema = z.object({
  v: z.literal(1),
  /** Deterministic key of the effect: the BullMQ job id and the outbox row's `event_key`. */
  eventKey: z.string().min(1),
  /** Legacy PartnerId. */
  partnerId: z.number().int().positive(),
  mode: z.enum(PORTAL_MODES),
});
export type PortalModePayload = z.infer<typeof portalModePayloadSchema>;

/** `notifications` and `invitations` queues, version 1: one message to one recipient. */
export const messagePayloadSchema = z.object({
  v: z.literal(1),
  eventKey: z.string().min(1),
  kind: z.enum(MESSAGE_KINDS),
  partnerId: z.number().int().positive(),
  partnerName: z.string(),
  /** The marketplace account (`ACC-…`); null before the partner is migrated. */
  accountId: z.string().nullable(),
  /** The partner's Microsoft Partner Network id (needed for CSP enrolment), when known. */
  mpnId: z.string().nullable(),
  /** Language of the message: German for partners in DE, AT, CH and LI, English otherwise. */
  language: z.enum(['en', 'de']),
  legacyUserId: z.number().int().positive(),
  /** The marketplace account user an invitation is for; null for other kinds. */
  accountUserId: z.string().nullable(),
  recipient: z.object({ email: z.string().min(3), firstName: z.string(), lastName: z.string() }),
});
export type MessagePayload = z.infer<typeof messagePayloadSchema>;
