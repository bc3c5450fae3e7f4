import type { Knex } from 'knex';

/** The operator actions the console records. */
export const CONSOLE_ACTIONS = ['retry-effects', 'resend-invitation', 'revoke-invitation', 'reverify-partner'] as const;
export type ConsoleAction = (typeof CONSOLE_ACTIONS)[number];

export interface ConsoleActionRecord {
  actor: string;
  role: string;
  action: ConsoleAction;
  waveId: number | null;
  partnerId: number | null;
  subject: string | null;
  outcome: unknown;
  error: string | null;
}

/** Records who did what, and what came of it; returns the record's id. */
export async function recordConsoleAction(db: Knex, record: ConsoleActionRecord): Promise<string> {
  const [row] = await db('migration.console_actions')
    .insert({
      actor: record.actor,
      role: record.role,
      action: record.action,
      wave_id: record.waveId,
      legacy_partner_id: record.partnerId,
      subject: record.subject,
      outcome: record.outcome === undefined ? null : JSON.stringify(record.outcome),
      error: record.error,
    })
    .returning('id');
  return String(row.id);
}

export interface ConsoleActionRow extends ConsoleActionRecord {
  id: string;
  createdAt: string;
}

/** The latest actions recorded for a partner. */
export async function readConsoleActions(db: Knex, partnerId: number, limit = 50): Promise<ConsoleActionRow[]> {
  const rows = await db('migration.console_actions')
    .select('*')
    .where({ legacy_partner_id: partnerId })
    .orderBy('id', 'desc')
    .limit(limit);
  return rows.map((row) => ({
    id: String(row.id),
    actor: row.actor,
    role: row.role,
    action: row.action,
    waveId: row.wave_id === null ? null : Number(row.wave_id),
    partnerId: row.legacy_partner_id,
    subject: row.subject,
    outcome: row.outcome,
    error: row.error,
    createdAt: row.created_at,
  }));
}
