import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig, type Config } from '../../src/core/config';
import { createLogger } from '../../src/core/logger';
import { migrateTarget } from '../../src/load';
import { hashPassword } from '../../src/console/passwords';
import { seedLegacy } from '../../pipelines/commands/legacy-setup';
import { verifyWave } from '../../pipelines/commands/verify-wave';
import { planWave } from '../../pipelines/commands/wave-plan';
import { runWave } from '../../pipelines/commands/wave-run';
import { openServices, type Services } from '../../pipelines/services';
import {
  dropQueues,
  freshMariaDb,
  freshPostgres,
  freshQueuePrefix,
  TEST_REDIS_URL,
  type TestDatabase,
} from '../helpers/databases';
import { runPpm, startPpm } from '../helpers/cli';
import { asLoader } from './verify-fixture';

const CHROMIUM = '/usr/bin/chromium';
/** Screenshots of every page, for a person to look at (gitignored). */
const SHOTS = join(__dirname, '..', '..', '.screenshots');
const VIEWPORT = { width: 1280, height: 800 };

let databases: TestDatabase[];
let env: Record<string, string>;
let config: Config;
let services: Services;
let open: RunningConsole;
let guarded: RunningConsole;
let browser: Browser;
let context: BrowserContext;
let dir: string;

interface RunningConsole {
  url: string;
  close(): Promise<void>;
}

/** `ppm serve` as a user starts it (the built CLI), on a free port; resolves once it listens. */
async function serve(extraEnv: Record<string, string>, args: string[] = []): Promise<RunningConsole> {
  const { child, done } = startPpm(['serve', '--port', '0', ...args], { ...env, ...extraEnv });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const found = /console at (http:\/\/\S+)/.exec(out);
      if (found) resolve(found[1]!);
    });
    void done.then((result) => reject(new Error(`ppm serve ended: ${result.code} ${result.stderr}`)));
  });
  return {
    url,
    async close() {
      child.kill('SIGTERM');
      await done;
    },
  };
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

beforeAll(async () => {
  expect(
    existsSync(CHROMIUM)
      ? 'found'
      : `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; .ci/run installs it)`,
  ).toBe('found');
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'ppm-console-'));
  databases = [await freshPostgres('console'), await freshMariaDb('console')];
  env = {
    MARKETPLACE_DATABASE_URL: databases[0]!.url,
    LEGACY_DATABASE_URL: databases[1]!.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: freshQueuePrefix('console'),
    BATCH_PARTNERS: '2',
    LOG_LEVEL: 'warn',
  };
  config = loadConfig(env);
  await seedLegacy(config, { partners: 20, seed: 5 });
  await migrateTarget(config.MARKETPLACE_DATABASE_URL);
  services = await openServices(config, createLogger({ level: 'warn' }));
  await planWave(services, 'w1', { ids: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] });
  await planWave(services, 'w2', { ids: [13, 14, 15, 16, 17, 18, 19, 20] });
  await runWave(services, 'w1');
  open = await serve({}, ['--live-interval', '200']);
  const users = `olga:operator:${await hashPassword('operator-secret')},axel:auditor:${await hashPassword('auditor-secret')}`;
  guarded = await serve({ CONSOLE_USERS: users });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-sync',
    ],
  });
  context = await browser.newContext({ viewport: VIEWPORT });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await open?.close();
  await guarded?.close();
  await services?.close();
  for (const database of databases ?? []) await database.drop();
  if (env) await dropQueues(env.QUEUE_PREFIX);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function newPage(): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  return page;
}

async function logIn(page: Page, user: string, password: string): Promise<void> {
  await page.goto(`${guarded.url}/waves`);
  await page.waitForURL(/\/login/);
  await page.fill('input[name=user]', user);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(/\/waves/), page.click('#login button')]);
}

const partnerWithQuarantine = async (): Promise<number> =>
  Number(
    (
      await services.target.raw(
        `SELECT q.legacy_partner_id AS id FROM migration.quarantine q
           JOIN migration.wave_partners wp ON wp.legacy_partner_id = q.legacy_partner_id AND wp.state = 'done'
          GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
      )
    ).rows[0].id,
  );

describe('the console in a browser', () => {
  it('renders the waves, wave, partner, reports, report, quarantine and queues pages of a migrated wave', async () => {
    const page = await newPage();
    await page.goto(`${open.url}/waves`);
    await expect(page.locator('table.waves').innerText()).resolves.toContain('w1');
    await shot(page, '01-waves');

    await page.click('table.waves a:has-text("w1")');
    await expect(page.locator('h1').innerText()).resolves.toContain('Wave w1');
    await expect(page.locator('[data-live="settled"]').innerText()).resolves.toBe('12 of 12');
    expect(await page.locator('table.partners tbody tr').count()).toBe(12);
    await shot(page, '02-wave');

    const partnerId = await partnerWithQuarantine();
    await page.goto(`${open.url}/partners/${partnerId}`);
    for (const step of ['planned', 'loaded', 'verified', 'cutover', 'done'])
      await expect(page.locator(`ol.timeline li[data-step="${step}"]`).getAttribute('class')).resolves.toBe('reached');
    expect(await page.locator('table.rows tbody tr').count()).toBeGreaterThan(3);
    expect(await page.locator('table.quarantine tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('table.effects tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('table.invitations tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('table.checks tbody tr').count()).toBeGreaterThan(5);
    // No address on any page: the raw rows and reasons are redacted.
    expect(await page.content()).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}/);
    await shot(page, '03-partner');

    await page.goto(`${open.url}/reports`);
    await page.waitForSelector('#chain:not([data-checking])');
    await expect(page.locator('#chain').innerText()).resolves.toContain('Hash chain intact');
    await shot(page, '04-reports');
    await page.click('table.reports tbody tr:first-child a');
    await expect(page.locator('#verdict').innerText()).resolves.toBe('Verdict: PASS');
    expect(await page.locator('svg.money-chart').count()).toBeGreaterThan(0);
    const chart = await page.locator('svg.money-chart').first().boundingBox();
    expect(chart!.x + chart!.width).toBeLessThanOrEqual(VIEWPORT.width);
    await shot(page, '05-report');

    await page.goto(`${open.url}/quarantine`);
    expect(await page.locator('table.quarantine tbody tr').count()).toBeGreaterThan(0);
    await shot(page, '06-quarantine');

    await page.goto(`${open.url}/queues/queue/notifications?status=delayed`);
    await page.waitForSelector('text=webinar-invitation', { timeout: 15_000 });
    // The board's job data names no recipient: neither address nor name.
    const boardData = await (
      await page.request.get(`${open.url}/queues/api/queues?activeQueue=notifications&status=delayed`)
    ).text();
    expect(boardData).toContain('webinar-invitation');
    expect(boardData).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}/);
    expect(boardData).toMatch(/"firstName":"\*\*\*"/);
    await shot(page, '07-queues');
    await page.close();
  });

  it('opens a tampered report with the failing check, the differing key and both values above the fold', async () => {
    const {
      rows: [order],
    } = await services.target.raw(
      `SELECT legacy_order_id AS id, created_by FROM archive.orders
        WHERE legacy_partner_id IN (SELECT legacy_partner_id FROM migration.wave_partners WHERE state = 'done')
          AND created_by IS NOT NULL ORDER BY 1 LIMIT 1`,
    );
    const {
      rows: [line],
    } = await services.target.raw(
      `SELECT legacy_order_id AS id, total_amount AS amount FROM archive.orders
        WHERE legacy_partner_id IN (SELECT legacy_partner_id FROM migration.wave_partners WHERE state = 'done')
          AND extract(year FROM ordered_at) > 1970 AND legacy_order_id <> ?
        ORDER BY 1 DESC LIMIT 1`,
      [order.id],
    );
    await asLoader(
      services.target,
      `UPDATE archive.orders SET created_by = 'mallory@example.org' WHERE legacy_order_id = ?`,
      [order.id],
    );
    await asLoader(
      services.target,
      'UPDATE archive.orders SET total_amount = total_amount + 7 WHERE legacy_order_id = ?',
      [line.id],
    );
    const result = await verifyWave(services, 'w1');
    expect(result.passed).toBe(false);
    const reportId = String((await services.target.raw('SELECT max(id) AS id FROM migration.reports')).rows[0].id);

    const page = await newPage();
    await page.goto(`${open.url}/reports/${reportId}`);
    await expect(page.locator('#verdict').innerText()).resolves.toBe('Verdict: FAIL');
    const rowOf = (key: string) => page.locator('table.discrepancies tbody tr', { hasText: key }).first();
    const amountRow = rowOf(String(line.id));
    await expect(amountRow.innerText()).resolves.toContain('total_amount');
    const amountText = await amountRow.innerText();
    expect(amountText).toContain(String(Number(line.amount).toFixed(4)));
    expect(amountText).toContain(String((Number(line.amount) + 7).toFixed(4)));
    const createdByRow = page.locator('table.discrepancies tbody tr', { hasText: 'created_by' }).first();
    await expect(createdByRow.innerText()).resolves.toContain(String(order.id));
    await expect(createdByRow.innerText()).resolves.toMatch(/redacted #[0-9a-f]{8}/);
    // Above the fold: the failing rows are visible in the first screen, without scrolling.
    for (const row of [amountRow, createdByRow]) {
      const box = await row.boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(VIEWPORT.height);
    }
    await expect(page.locator('table.failed-checks').innerText()).resolves.toContain('Archive fidelity');
    const html = await page.content();
    expect(html).not.toContain('mallory@example.org');
    expect(html).not.toContain(order.created_by);
    await page.screenshot({ path: join(SHOTS, '08-report-failing.png') });
    await shot(page, '08-report-failing-full');
    // The chart shows the order difference of -7 (legacy minus archive) in its month, not side-by-side bars.
    expect(await page.locator('svg.money-chart rect.difference').count()).toBeGreaterThan(0);
    await page.close();
    // ppm report redacts the same way (the same hash, keyed by the seal); --reveal shows the values as sealed.
    const hashes = [...html.matchAll(/redacted #([0-9a-f]{8})/g)].map((m) => m[1]);
    const csv = await runPpm(['report', 'w1', '--format', 'csv'], env);
    expect(csv.code).toBe(0);
    expect(csv.stdout).not.toContain('mallory@example.org');
    for (const hash of hashes) expect(csv.stdout).toContain(`redacted #${hash}`);
    const revealed = await runPpm(['report', 'w1', '--format', 'csv', '--reveal'], env);
    expect(revealed.stdout).toContain('created_by,');
    expect(revealed.stdout).toContain('mallory@example.org');
    // Put the target back for the tests that follow.
    await asLoader(services.target, `UPDATE archive.orders SET created_by = ? WHERE legacy_order_id = ?`, [
      order.created_by,
      order.id,
    ]);
    await asLoader(
      services.target,
      'UPDATE archive.orders SET total_amount = total_amount - 7 WHERE legacy_order_id = ?',
      [line.id],
    );
  });

  it('updates the live panel of a wave while it runs, without a reload', async () => {
    const page = await newPage();
    await page.goto(`${open.url}/waves/w2`);
    await expect(page.locator('[data-live="rows"]').innerText()).resolves.toBe('0');
    await expect(page.locator('[data-live="runStatus"]').innerText()).resolves.toBe('never run');
    const seen = new Set<string>();
    const watch = setInterval(() => {
      void page
        .locator('[data-live="runStatus"]')
        .innerText()
        .then((text) => seen.add(text))
        .catch(() => undefined);
    }, 50);
    const run = runWave(services, 'w2', { cutover: false });
    try {
      await run;
      const until = Date.now() + 20_000;
      while ((await page.locator('[data-live="settled"]').innerText()) !== '8 of 8' && Date.now() < until)
        await page.waitForTimeout(100);
    } finally {
      clearInterval(watch);
    }
    expect(seen.has('running')).toBe(true);
    const rows = Number((await page.locator('[data-live="rows"]').innerText()).replace(/,/g, ''));
    expect(rows).toBeGreaterThan(0);
    expect(Number(await page.locator('#live').getAttribute('data-updates'))).toBeGreaterThan(1);
    await shot(page, '09-wave-live');
    await page.close();
  });

  it('filters quarantine by wave, entity and reason and exports exactly the rows of the database as CSV', async () => {
    const {
      rows: [pick],
    } = await services.target.raw(
      `SELECT entity, reason FROM migration.quarantine WHERE resolved_at IS NULL GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1`,
    );
    const page = await newPage();
    await page.goto(`${open.url}/quarantine`);
    await page.selectOption('select[name=wave]', 'w1');
    await page.selectOption('select[name=entity]', pick.entity);
    await page.selectOption('select[name=reason]', pick.reason);
    await Promise.all([page.waitForURL(/entity=/), page.click('form.filters button')]);
    const expected: Array<{ id: string; legacy_key: string; legacy_partner_id: number }> = (
      await services.target.raw(
        `SELECT q.id::text AS id, q.legacy_key, q.legacy_partner_id FROM migration.quarantine q
          WHERE q.resolved_at IS NULL AND q.entity = ? AND q.reason = ?
            AND EXISTS (SELECT 1 FROM migration.wave_partners wp JOIN migration.waves w ON w.id = wp.wave_id
                         WHERE w.name = 'w1' AND wp.legacy_partner_id = q.legacy_partner_id)
          ORDER BY q.id`,
        [pick.entity, pick.reason],
      )
    ).rows;
    expect(expected.length).toBeGreaterThan(0);
    const shown = await page.locator('table.quarantine tbody tr td:first-child').allInnerTexts();
    expect(shown).toEqual(expected.slice(0, 100).map((row) => row.id));
    await shot(page, '10-quarantine-filtered');

    const href = await page.locator('#export').getAttribute('href');
    const response = await page.request.get(`${open.url}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('text/csv');
    const lines = (await response.text()).trim().split('\n');
    expect(lines[0]).toBe(
      'id,legacy_partner_id,entity,legacy_key,reason,detail,raw,first_seen_at,last_seen_at,resolved_at',
    );
    const csv = lines.slice(1).map((line) => line.split(','));
    expect(csv.map((cells) => [cells[0], Number(cells[1]), cells[2], cells[3], cells[4]])).toEqual(
      expected.map((row) => [row.id, row.legacy_partner_id, pick.entity, row.legacy_key, pick.reason]),
    );
    expect(lines.join('\n')).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}/);
    await page.close();
  });

  it('lets an operator act (recorded with who did it) and an auditor only read: no button, POST refused 403', async () => {
    const partnerId = await partnerWithQuarantine();
    // A failed effect to retry, as a relay left it after its last attempt.
    const {
      rows: [effect],
    } = await services.target.raw(
      `UPDATE migration.outbox SET state = 'failed', last_error = '550 mailbox of someone@example.com unavailable', failed_at = now()
        WHERE id = (SELECT id FROM migration.outbox WHERE legacy_partner_id = ? AND kind = 'account-migrated' ORDER BY id LIMIT 1)
        RETURNING id, kind`,
      [partnerId],
    );
    const auditor = await browser.newContext({ viewport: VIEWPORT });
    const auditorPage = await auditor.newPage();
    await logIn(auditorPage, 'axel', 'auditor-secret');
    await auditorPage.goto(`${guarded.url}/partners/${partnerId}`);
    await expect(auditorPage.locator('nav .who').innerText()).resolves.toContain('axel (auditor)');
    expect(await auditorPage.locator('table.effects').innerText()).toContain('failed');
    expect(await auditorPage.locator('button[data-action]').count()).toBe(0);
    expect(await auditorPage.content()).not.toContain('someone@example.com');
    await shot(auditorPage, '11-partner-auditor');
    const csrf = await auditorPage.locator('nav form input[name=_csrf]').inputValue();
    const refused = await auditorPage.request.post(`${guarded.url}/actions/retry-effects`, {
      form: { _csrf: csrf, kind: effect.kind, partnerId: String(partnerId) },
      maxRedirects: 0,
    });
    expect(refused.status()).toBe(403);
    const board = await auditorPage.request.put(`${guarded.url}/queues/api/queues/wave/retry/failed`, {
      headers: { 'x-csrf-token': csrf },
    });
    expect(board.status()).toBe(403);
    await auditor.close();

    const operator = await browser.newContext({ viewport: VIEWPORT });
    const page = await operator.newPage();
    await logIn(page, 'olga', 'operator-secret');
    await page.goto(`${guarded.url}/partners/${partnerId}`);
    const noToken = await page.request.post(`${guarded.url}/actions/retry-effects`, {
      form: { kind: effect.kind, partnerId: String(partnerId) },
      maxRedirects: 0,
    });
    expect(noToken.status()).toBe(403);
    const wrongToken = await page.request.post(`${guarded.url}/actions/retry-effects`, {
      form: { _csrf: 'x'.repeat(43), kind: effect.kind, partnerId: String(partnerId) },
      maxRedirects: 0,
    });
    expect(wrongToken.status()).toBe(403);
    expect((await services.target('migration.outbox').first('state').where({ id: effect.id })).state).toBe('failed');

    await shot(page, '12-partner-operator');
    await Promise.all([
      page.waitForURL(/action=/),
      page.locator('table.effects button[data-action="retry-effects"]').first().click(),
    ]);
    await expect(page.locator('#notice').innerText()).resolves.toContain('retry-effects by olga');
    expect(['pending', 'enqueued', 'done']).toContain(
      (await services.target('migration.outbox').first('state').where({ id: effect.id })).state,
    );
    const accountUser = (
      await services.target('migration.invitations').first('account_user_id').where({ legacy_partner_id: partnerId })
    ).account_user_id;
    await Promise.all([
      page.waitForURL(/action=/),
      page
        .locator('table.invitations tr', { hasText: accountUser })
        .locator('button[data-action="revoke-invitation"]')
        .first()
        .click(),
    ]);
    const revoked = await services
      .target('migration.invitations')
      .where({ account_user_id: accountUser })
      .whereNotNull('revoked_at');
    expect(revoked.length).toBeGreaterThan(0);
    await Promise.all([page.waitForURL(/action=/), page.click('#verification button[data-action="reverify-partner"]')]);
    const actions = await services
      .target('migration.console_actions')
      .select('*')
      .where({ legacy_partner_id: partnerId })
      .orderBy('id');
    expect(actions.map((a) => [a.actor, a.role, a.action, a.error])).toEqual([
      ['olga', 'operator', 'retry-effects', null],
      ['olga', 'operator', 'revoke-invitation', null],
      ['olga', 'operator', 'reverify-partner', null],
    ]);
    expect(actions[0].outcome).toEqual({ retried: 1 });
    expect(actions[2].outcome).toMatchObject({ passed: true });
    await expect(page.locator('table.actions').innerText()).resolves.toContain('reverify-partner');
    await shot(page, '13-partner-after-actions');
    await operator.close();
  });

  it('asks for a login when users are configured, and a wrong password gets none', async () => {
    const fresh = await browser.newContext({ viewport: VIEWPORT });
    const page = await fresh.newPage();
    const response = await page.request.get(`${guarded.url}/reports`, { maxRedirects: 0 });
    expect(response.status()).toBe(303);
    await page.goto(`${guarded.url}/waves`);
    await page.fill('input[name=user]', 'axel');
    await page.fill('input[name=password]', 'not-the-password');
    await Promise.all([page.waitForURL(/failed=1/), page.click('#login button')]);
    await expect(page.locator('#login-failed').isVisible()).resolves.toBe(true);
    await shot(page, '00-login');
    expect((await page.request.get(`${guarded.url}/queues/api/queues`, { maxRedirects: 0 })).status()).toBe(401);
    await fresh.close();
  });

  it('refuses to serve beyond loopback without a login (exit 2 from ppm serve)', async () => {
    const cli = await runPpm(['serve', '--host', '0.0.0.0', '--port', '0'], env);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('CONSOLE_USERS');
    const bad = await runPpm(['serve'], { ...env, CONSOLE_USERS: 'olga:admin:secret-in-clear' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('CONSOLE_USERS');
    expect(bad.stderr).not.toContain('secret-in-clear');
  });
});
