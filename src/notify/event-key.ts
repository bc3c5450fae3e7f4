import { createHash } from 'node:crypto';
import type { PortalModePayload } from './payloads';

/**
 * Deterministic keys of effects: the same effect always gets the same key, so recording it
 * twice records it once, and a BullMQ job id made of it is added once. No `:` (BullMQ refuses
 * it in custom job ids).
 */
export const eventKeys = {
  portalMode: (partnerId: number, mode: PortalModePayload['mode']) => `portal-mode.${partnerId}.${mode}`,
  migrationScheduled: (partnerId: number, legacyUserId: number) => `migration-scheduled.${partnerId}.${legacyUserId}`,
  accountMigrated: (partnerId: number, legacyUserId: number) => `account-migrated.${partnerId}.${legacyUserId}`,
  invitation: (accountUserId: string) => `invitation.${accountUserId}`,
  cspEnrollment: (partnerId: number, legacyUserId: number) => `csp-enrollment.${partnerId}.${legacyUserId}`,
  webinarInvitation: (partnerId: number, legacyUserId: number) => `webinar-invitation.${partnerId}.${legacyUserId}`,
};

/** The RFC 5322 Message-ID of the message of an effect: a receiver can drop a duplicate delivery by it. */
export function messageIdOf(eventKey: string): string {
  return `<${createHash('sha256').update(eventKey).digest('hex').slice(0, 32)}@ppm.migration.softwareone>`;
}
