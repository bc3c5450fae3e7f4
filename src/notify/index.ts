/** The notify stage: the outbox of external effects, their job payloads and keys. */
export {
  MESSAGE_KINDS,
  PORTAL_MODES,
  messagePayloadSchema,
  portalModePayloadSchema,
  queueOfKind,
  type EffectKind,
  type EffectQueue,
  type MessageKind,
  type MessagePayload,
  type PortalModePayload,
} from './payloads';
export { eventKeys, messageIdOf } from './event-key';
export { insertOutboxEvents, type OutboxEvent } from './sql/insert-outbox-events';
export { readOutboxCounts, type OutboxCount } from './sql/read-outbox-counts';
export { claimDueEvents, reclaimStaleEvents, type ClaimedEvent } from './sql/claim-due-events';
export { markEventDone } from './sql/mark-event-done';
export { readEventState } from './sql/read-event-state';
export {
  DEFAULT_LINKS,
  renderMessage,
  sampleMessagePayload,
  type MessageLinks,
  type RenderExtras,
  type RenderedMessage,
} from './render';
export { classifyDeliveryError, DeliveryError, type MessageTransport } from './transports/transport';
export { createSmtpTransport, type SmtpTransportOptions } from './transports/smtp-transport';
export { createFileTransport } from './transports/file-transport';
export { markEventFailed } from './sql/mark-event-failed';
export { INVITATION_VALIDITY_MS, newInvitationToken, tokenSha256 } from './invitation-token';
export { markInvitationSent, recordInvitation } from './sql/record-invitation';
export { countOpenEffects, type OpenEffects } from './sql/count-open-effects';
export { readCutoverAccounts, type AccountOfPartner } from './sql/read-cutover-accounts';
export { readCutoverMembers, type MemberOfAccount } from './sql/read-cutover-members';
export { readAnnouncedPartners } from './sql/read-announced-partners';
export { recordEventAttempt } from './sql/record-event-attempt';
export { readFailedEvents, type FailedEvent } from './sql/read-failed-events';
export { readInvitationCounts, type InvitationCount } from './sql/read-invitation-counts';
export { retryFailedEvents, type RetryFilter } from './sql/retry-failed-events';
export { readAccountUsers, type AccountUserOfPartner } from './sql/read-account-users';
export { lockAccountUserInvitations } from './sql/lock-account-user-invitations';
export { readInvitations, type InvitationRow } from './sql/read-invitations';
export { readInvitationEvents, type InvitationEventRow } from './sql/read-invitation-events';
export { revokeInvitation } from './sql/revoke-invitation';
export { insertResentInvitation } from './sql/insert-resent-invitation';
export { insertRevokedInvitation } from './sql/insert-revoked-invitation';
export { supersedeInvitation } from './sql/supersede-invitation';
export { insertResendEvent } from './sql/insert-resend-event';
export { failInvitationEvents } from './sql/fail-invitation-events';
