import type { ClientBase } from 'pg';

/**
 * Marks `Deleted` the account users of these legacy users (kept out now: deactivated,
 * quarantined, duplicate) where one exists from an earlier load: the membership is kept, never
 * left claiming to be migrated. A wave's first load finds none. Returns the rows changed.
 */
export async function retireMemberships(client: ClientBase, legacyUserIds: ReadonlyArray<number>): Promise<number> {
  if (legacyUserIds.length === 0) return 0;
  const result = await client.query(
    `UPDATE marketplace.account_users SET status = 'Deleted'
      WHERE legacy_user_id = ANY($1::int[]) AND status <> 'Deleted'`,
    [legacyUserIds],
  );
  return result.rowCount ?? 0;
}
