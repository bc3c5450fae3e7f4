import {
  buildReport,
  canonicalJson,
  checkResult,
  renderCsv,
  renderHtml,
  renderJson,
  renderMarkdown,
  sealOf,
  verifyChain,
  type CheckResult,
  type StoredReport,
} from '../../../src/verify';

function results(): CheckResult[] {
  return [
    checkResult(
      {
        check: 'completeness',
        entity: 'order',
        partnerId: 1,
        expected: '2 legacy rows',
        actual: '2 loaded',
        facts: { legacyRows: 2, targetRows: 2 },
      },
      [],
    ),
    checkResult(
      {
        check: 'archive_fidelity',
        entity: 'order_money',
        partnerId: 1,
        expected: '1',
        actual: '1',
        facts: {
          money: [
            {
              entity: 'order',
              currency: 'CHF',
              month: '2024-01',
              amount: 'total',
              legacy: '10.5000',
              target: '10.5000',
            },
          ],
        },
      },
      [],
    ),
    checkResult({ check: 'archive_fidelity', entity: 'invoice_line', partnerId: 2, expected: 'x', actual: 'y' }, [
      {
        check: 'archive_fidelity',
        entity: 'invoice_line',
        partnerId: 2,
        legacyKey: '77',
        kind: 'changed',
        columns: [{ column: 'amount', legacy: '1.0000', target: '2.0000' }],
        detail: 'differs in amount, "quoted"',
      },
    ]),
  ];
}

function report(previousSha256: string | null = null) {
  return buildReport({
    runId: '9',
    runKind: 'verify',
    wave: 'w<1>',
    watermark: '42',
    generatedAt: '2024-01-01T00:00:00.000Z',
    partnerIds: [1, 2],
    results: results(),
    quarantine: [
      {
        entity: 'user',
        reason: 'invalid_email',
        count: 3,
        examples: [{ partnerId: 1, legacyKey: '5', detail: 'bad' }],
      },
    ],
    skipped: [],
    findings: [],
    previousSha256,
  });
}

describe('report seal and hash chain', () => {
  it('serialises with sorted keys at every level, so jsonb round trips keep the seal', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: null, e: 'x' }], c: true } })).toBe(
      '{"a":{"c":true,"d":[1,{"e":"x","f":null}]},"b":1}',
    );
    const body = report();
    const reversed = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reversed)
        : value && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reversed(v)]),
            )
          : value;
    expect(sealOf(reversed(body))).toBe(sealOf(body));
  });

  it('verifies an intact chain and names the first altered or removed report', () => {
    const first = report(null);
    const second = report(sealOf(first));
    const third = report(sealOf(second));
    const stored = [first, second, third].map((body, i): StoredReport => ({
      id: String(i + 1),
      runId: String(10 + i),
      body,
      sha256: sealOf(body),
      previousSha256: body.previousSha256,
    }));
    expect(verifyChain(stored)).toEqual({ ok: true, reports: 3 });
    const altered = stored.map((r) => ({ ...r, body: structuredClone(r.body) }));
    (altered[1].body as { verdict: string }).verdict = 'pass';
    expect(verifyChain(altered)).toMatchObject({ ok: false, reportId: '2' });
    expect(verifyChain([stored[0], stored[2]])).toMatchObject({ ok: false, reportId: '3' });
    expect(verifyChain([stored[1], stored[2]])).toMatchObject({ ok: false, reportId: '2' });
  });
});

describe('report renderers', () => {
  const body = report();

  it('has a failing verdict, totals and the discrepancy with both values', () => {
    expect(body.verdict).toBe('fail');
    expect(body.partners).toEqual([
      { partnerId: 1, passed: true, failedChecks: [] },
      { partnerId: 2, passed: false, failedChecks: ['archive_fidelity/invoice_line'] },
    ]);
    expect(body.totals.money).toEqual([
      { currency: 'CHF', amount: 'orders total', legacy: '10.5000', target: '10.5000' },
    ]);
    expect(renderMarkdown(body, 'abc')).toContain(
      '| 2 | invoice_line | 77 |  | changed | differs in amount, "quoted" | amount: legacy 1.0000 / target 2.0000 |',
    );
  });

  it('sums money of many partners exactly, whatever scale each side wrote, keeping a side that has no value empty', () => {
    const cell = (partnerId: number, legacy: string | null, target: string | null, month = '2024-01') =>
      checkResult(
        {
          check: 'archive_fidelity',
          entity: 'invoice_money',
          partnerId,
          expected: '',
          actual: '',
          facts: { money: [{ entity: 'invoice', currency: 'EUR', month, amount: 'net', legacy, target }] },
        },
        [],
      );
    const summed = buildReport({
      runId: '1',
      runKind: 'verify',
      wave: 'w',
      watermark: null,
      generatedAt: '2024-01-01T00:00:00.000Z',
      partnerIds: [1, 2, 3, 4],
      results: [
        cell(1, '0.1000', '0.1'),
        cell(2, '0.2', '0.2000'),
        cell(3, '-1.05', '-1.0500'),
        cell(4, null, '9007199254740993.0001', '2024-02'),
      ],
      quarantine: [],
      skipped: [],
      findings: [],
      previousSha256: null,
    });
    expect(summed.money).toEqual([
      { entity: 'invoice', currency: 'EUR', month: '2024-01', amount: 'net', legacy: '-0.7500', target: '-0.7500' },
      {
        entity: 'invoice',
        currency: 'EUR',
        month: '2024-02',
        amount: 'net',
        legacy: null,
        target: '9007199254740993.0001',
      },
    ]);
    expect(summed.totals.money).toEqual([
      { currency: 'EUR', amount: 'invoices net', legacy: '-0.7500', target: '9007199254740992.2501' },
    ]);
  });

  it('renders CSV with quoting and JSON with the seal', () => {
    const csv = renderCsv(body).split('\n');
    expect(csv[0]).toBe(
      'record,check,entity,partner_id,legacy_key,marketplace_id,kind,passed,expected,actual,detail,column,legacy_value,target_value',
    );
    expect(csv).toContain(
      'discrepancy,archive_fidelity,invoice_line,2,77,,changed,false,,,"differs in amount, ""quoted""",amount,1.0000,2.0000',
    );
    expect(JSON.parse(renderJson(body, 'abc'))).toMatchObject({ sha256: 'abc', report: { verdict: 'fail' } });
  });

  it('renders one self-contained HTML file with the verdict, check tables and an inline SVG chart', () => {
    const html = renderHtml(body, 'abc');
    expect(html).toContain('<p id="verdict" class="fail">Verdict: FAIL</p>');
    expect(html).toContain('<svg class="money-chart" data-currency="CHF"');
    expect(html).toContain('wave w&lt;1&gt;');
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });
});
