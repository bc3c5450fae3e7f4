import { ContractViolationError } from '../core/errors';
import type { PortalMode } from '../core/legacy-model';

/** The values the portal understands; anything else would break the portal for that partner. */
const PORTAL_MODES: readonly PortalMode[] = ['Live', 'MigrationScheduled', 'Migrated', 'Archive'];

/** A PortalMode fit to write: the type alone does not stop a value that arrives from outside. */
export function checkPortalMode(mode: PortalMode): PortalMode {
  if (!PORTAL_MODES.includes(mode)) {
    throw new ContractViolationError(`PortalMode must be one of ${PORTAL_MODES.join(', ')}, got "${String(mode)}"`);
  }
  return mode;
}

/**
 * A watermark fit to bind: decimal text of at most `maxDigits` digits (the widest value of the
 * engine's row-version type), so it never passes through a JavaScript number or compares as a float.
 */
export function checkWatermark(watermark: string, maxDigits: number): string {
  if (!new RegExp(`^\\d{1,${maxDigits}}$`).test(watermark)) {
    throw new ContractViolationError(`watermark must be an unsigned integer as text, got "${watermark}"`);
  }
  return watermark;
}
