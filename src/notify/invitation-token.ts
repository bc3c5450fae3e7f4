import { createHash, randomBytes } from 'node:crypto';

/** How long an invitation can be accepted after it is sent. */
export const INVITATION_VALIDITY_MS = 7 * 24 * 3600 * 1000;

/** A new invitation token (32 random bytes, base64url) and the SHA-256 that is all that is stored of it. */
export function newInvitationToken(): { token: string; sha256: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, sha256: tokenSha256(token) };
}

export function tokenSha256(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
