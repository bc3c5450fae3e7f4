import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ConsoleRole } from '../core/config';

/** Who is acting: a logged-in user, or (loopback without CONSOLE_USERS) the local operator. */
export interface Actor {
  name: string;
  role: ConsoleRole;
}

/** A browser's session: its CSRF token, and the actor once logged in. */
export interface Session {
  id: string;
  csrf: string;
  actor: Actor | null;
  expiresAt: number;
}

/** The cookie that carries a session id. */
export const SESSION_COOKIE = 'ppm_console';

const token = () => randomBytes(32).toString('base64url');

/** Sessions in memory: a restart logs everyone out, which a console of a few operators can afford. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly ttlMs: number) {}

  /** A new session, anonymous until a login sets its actor. */
  create(actor: Actor | null = null): Session {
    this.sweep();
    const session: Session = { id: token(), csrf: token(), actor, expiresAt: Date.now() + this.ttlMs };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= Date.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  /** Ends a session (logout, or the anonymous one a login replaces). */
  delete(id: string): void {
    this.sessions.delete(id);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(id);
  }
}

/** True when `given` is the session's CSRF token (compared in constant time). */
export function csrfMatches(session: Session, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(session.csrf);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True for an address only this machine reaches. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
