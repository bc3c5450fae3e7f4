import {
  isSentinelMonth,
  moneyChart,
  redactReport,
  renderHtml,
  ReportRedactor,
  type Report,
} from '../../../src/verify';
import { moneyDifference, monthsBetween } from '../../../src/verify/render-html';

const cell = (month: string, legacy: string | null, target: string | null): Report['money'][number] => ({
  entity: 'order',
  currency: 'CHF',
  month,
  amount: 'total',
  legacy,
  target,
});

const report = (overrides: Partial<Report> = {}): Report => ({
  version: 1,
  runId: '7',
  runKind: 'verify',
  wave: 'w1',
  watermark: '10',
  generatedAt: '2026-01-01T00:00:00.000Z',
  verdict: 'fail',
  totals: { partners: 2, partnersPassed: 1, checks: 2, checksFailed: 1, discrepancies: 1, rows: [], money: [] },
  partners: [
    { partnerId: 1, passed: true, failedChecks: [] },
    { partnerId: 2, passed: false, failedChecks: ['mapping_fidelity/customer'] },
  ],
  checks: [
    {
      check: 'mapping_fidelity',
      entity: 'customer',
      partnerId: 1,
      expected: '1',
      actual: '1',
      passed: true,
      discrepanciesTotal: 0,
    },
    {
      check: 'mapping_fidelity',
      entity: 'customer',
      partnerId: 2,
      expected: '1',
      actual: '1',
      passed: false,
      discrepanciesTotal: 1,
    },
  ],
  discrepancies: [
    {
      check: 'mapping_fidelity',
      entity: 'customer',
      partnerId: 2,
      legacyKey: '42',
      kind: 'changed',
      columns: [
        { column: 'contact_email', legacy: 'anna@example.com', target: 'bob@example.com' },
        { column: 'city', legacy: 'Bern', target: 'Basel' },
      ],
      detail: 'differs for anna@example.com',
    },
  ],
  discrepanciesNotListed: 0,
  pending: [],
  money: [cell('1900-01', '5.00', '5.00'), cell('2024-01', '10.00', '10.0000'), cell('2024-04', '3.50', '1.25')],
  quarantine: [],
  skipped: [],
  findings: [],
  previousSha256: null,
  ...overrides,
});

describe('the report page', () => {
  it('keeps every month between the first and the last on the axis, sentinel months apart', () => {
    expect(monthsBetween('2023-11', '2024-02')).toEqual(['2023-11', '2023-12', '2024-01', '2024-02']);
    expect(isSentinelMonth('1900-01')).toBe(true);
    expect(isSentinelMonth('9999-12')).toBe(true);
    expect(isSentinelMonth('2024-04')).toBe(false);
    const svg = moneyChart(report().money);
    expect(svg.match(/data-month="/g)).toHaveLength(2); // 2024-01 (equal) and 2024-04 (differs); the gap months draw nothing
    expect(svg).toContain('4 on the axis, 2 without money');
    expect(svg).not.toContain('data-month="1900-01"');
    expect(svg).toContain('Sentinel dates, not on the time axis');
    expect(svg).toContain('<rect class="equal" data-month="2024-01"');
    expect(svg).toMatch(/<rect class="difference above" data-month="2024-04"/);
    expect(svg).toContain('legacy − archive (CHF)');
    expect(svg).toContain('1 of 3 months differ');
  });

  it('computes legacy minus archive exactly, a missing side as zero', () => {
    expect(moneyDifference('3.50', '1.25')).toBe('2.25');
    expect(moneyDifference('0.1', '0.3')).toBe('-0.2');
    expect(moneyDifference(null, '12.0000')).toBe('-12.0000');
    expect(moneyDifference('10.00', '10.0000')).toBe('0.0000');
  });

  it('opens with the failures: the discrepancy with both values before the totals', () => {
    const html = renderHtml(report(), 'seal');
    expect(html.indexOf('table class="discrepancies"')).toBeGreaterThan(-1);
    expect(html.indexOf('table class="discrepancies"')).toBeLessThan(html.indexOf('id="totals"'));
    expect(html).toContain('Basel');
    // Passing checks are counted, not listed one by one.
    expect(html).toContain('1 of 2 failed');
  });

  it('redacts personal values with a short keyed hash, and e-mail addresses in any text', () => {
    const redacted = redactReport(report(), 'seal');
    const [email, city] = redacted.discrepancies[0]!.columns!;
    expect(email!.legacy).toMatch(/^redacted #[0-9a-f]{8}$/);
    expect(email!.target).toMatch(/^redacted #[0-9a-f]{8}$/);
    expect(email!.legacy).not.toBe(email!.target);
    expect(city).toEqual({ column: 'city', legacy: 'Bern', target: 'Basel' });
    expect(redacted.discrepancies[0]!.detail).toMatch(/^differs for \*\*\*@example\.com #[0-9a-f]{8}$/);
    // The same value, the same hash within one report; another report's key, another hash.
    const hash = new ReportRedactor('seal').hash('anna@example.com');
    expect(email!.legacy).toBe(`redacted #${hash}`);
    expect(new ReportRedactor('other').hash('anna@example.com')).not.toBe(hash);
    const html = renderHtml(redacted, 'seal');
    expect(html).not.toContain('anna@');
    expect(html).not.toContain('bob@');
  });
});
