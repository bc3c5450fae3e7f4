import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { renderWaveReport } from '../../pipelines/commands/report';
import { verifyWave } from '../../pipelines/commands/verify-wave';
import { asLoader, cleanWave, type VerifiedWave } from './verify-fixture';

const CHROMIUM = '/usr/bin/chromium';
let fixture: VerifiedWave;
let dir: string;

beforeAll(async () => {
  fixture = await cleanWave('report_html', 3);
  dir = mkdtempSync(join(tmpdir(), 'ppm-report-html-'));
}, 180_000);

afterAll(async () => {
  await fixture?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the HTML report in a browser', () => {
  it('shows the verdict, a failing check and the money chart, with no external asset', async () => {
    // Not a skip: the auditor's report must be checked in a real browser; CI installs Debian's chromium.
    expect(
      existsSync(CHROMIUM)
        ? 'found'
        : `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; .ci/run installs it)`,
    ).toBe('found');
    const {
      rows: [line],
    } = await fixture.services.target.raw(
      'SELECT legacy_invoice_line_id AS id FROM archive.invoice_lines ORDER BY 1 LIMIT 1',
    );
    await asLoader(
      fixture.services.target,
      'UPDATE archive.invoice_lines SET amount = amount + 1 WHERE legacy_invoice_line_id = ?',
      [line.id],
    );
    const result = await verifyWave(fixture.services, 'w1');
    expect(result.passed).toBe(false);
    const file = join(dir, 'report.html');
    writeFileSync(file, await renderWaveReport(fixture.services, 'w1', 'html'));

    // A fresh profile directory per run: nothing of another session leaks in.
    const browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(pathToFileURL(file).toString());
      await expect(page.locator('#verdict').innerText()).resolves.toBe('Verdict: FAIL');
      const failing = page.locator('#check-archive_fidelity tbody tr', { hasText: 'FAIL' }).first();
      await expect(failing.isVisible()).resolves.toBe(true);
      await expect(failing.innerText()).resolves.toContain('invoice_line');
      await expect(page.locator('table.failed-checks').innerText()).resolves.toContain('invoice_line');
      await expect(page.locator('#failures table.discrepancies').innerText()).resolves.toContain(String(line.id));
      // Failures first: the differing key sits above the totals.
      const failures = await page.locator('#failures table.discrepancies').boundingBox();
      const totals = await page.locator('#totals').boundingBox();
      expect(failures!.y).toBeLessThan(totals!.y);
      const chart = page.locator('svg.money-chart').first();
      const box = await chart.boundingBox();
      expect(box!.width).toBeGreaterThan(100);
      expect(box!.height).toBeGreaterThan(100);
      // The difference legacy minus archive: zero marks for equal months, labelled axes, a table beneath.
      expect(await page.locator('svg.money-chart .equal').count()).toBeGreaterThan(0);
      expect(await page.locator('svg.money-chart rect.legacy').count()).toBe(0);
      expect(await chart.locator('text.axis-title').allTextContents()).toEqual([
        expect.stringMatching(/^month/),
        expect.stringMatching(/^legacy − archive \([A-Z]{3}\)$/),
      ]);
      expect(await chart.locator('text.month').count()).toBeGreaterThan(1);
      expect(await page.locator('figure.money table.money-table').count()).toBeGreaterThan(0);
      // Every chart fits the page: none runs off to the right.
      for (const svg of await page.locator('svg.money-chart').all()) {
        const each = await svg.boundingBox();
        expect(each!.x + each!.width).toBeLessThanOrEqual(page.viewportSize()!.width);
      }
      expect(await page.content()).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}/);
      expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
