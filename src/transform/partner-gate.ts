/** The first rule for every row a partner owns: nothing of a closed or quarantined partner goes live. */
import type { BatchBuilder, LegacyRef } from './batch-builder';
import type { PartnerDecision } from './partner';

/**
 * Records `raw` as skipped (`partner_closed`) or quarantined (`partner_quarantined`) when the
 * partner does not migrate; returns true when it did so and the row needs no further rules.
 */
export function gateOnPartner(batch: BatchBuilder, decision: PartnerDecision, ref: LegacyRef, raw: object): boolean {
  if (decision.outcome === 'closed') {
    batch.skip(ref, 'partner_closed', 'partner is Closed', raw);
    return true;
  }
  if (decision.outcome === 'quarantined') {
    batch.quarantine(ref, 'partner_quarantined', `partner quarantined (${decision.reason ?? 'unknown reason'})`, raw);
    return true;
  }
  return false;
}
