import { PERSONAL_COLUMNS, Raw, type ReportRedactor } from '../../verify';
import { escape } from '../layout';

/** A raw legacy row with personal values masked and hashed, e-mail addresses in any text too. */
export function redactRaw(raw: unknown, redactor: ReportRedactor): unknown {
  if (raw === null || raw === undefined) return raw;
  if (typeof raw === 'string') return redactor.text(raw);
  if (Array.isArray(raw)) return raw.map((item) => redactRaw(item, redactor));
  if (typeof raw === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw as Record<string, unknown>))
      out[key] =
        PERSONAL_COLUMNS.has(key) && value !== null && value !== undefined
          ? redactor.value(typeof value === 'string' ? value : JSON.stringify(value))
          : redactRaw(value, redactor);
    return out;
  }
  return raw;
}

/** The raw row as a table cell: compact JSON, redacted. */
export function rawCell(raw: unknown, redactor: ReportRedactor): Raw {
  if (raw === null || raw === undefined) return new Raw('');
  const redacted = redactRaw(raw, redactor);
  // One field a line, as a reader scans a row; anything but an object as JSON.
  const text =
    redacted !== null && typeof redacted === 'object' && !Array.isArray(redacted)
      ? Object.entries(redacted as Record<string, unknown>)
          .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
          .join('\n')
      : JSON.stringify(redacted);
  return new Raw(`<pre class="raw">${escape(text)}</pre>`);
}
