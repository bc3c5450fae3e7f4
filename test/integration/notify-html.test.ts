import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { MESSAGE_KINDS, renderMessage, sampleMessagePayload } from '../../src/notify';

const CHROMIUM = '/usr/bin/chromium';

/** Each message's HTML as a mail client shows it: rendered in headless Chromium, names in, no placeholder left. */
describe('message HTML in a browser', () => {
  let dir: string;
  let browser: BrowserContext;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ppm-notify-html-'));
    browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(MESSAGE_KINDS.flatMap((kind) => (['en', 'de'] as const).map((language) => [kind, language] as const)))(
    '%s (%s) renders with the names and no placeholder',
    async (kind, language) => {
      const message = renderMessage(sampleMessagePayload(kind, language), {
        acceptLink: 'https://example.test/accept?token=abc',
        expiresAt: new Date('2026-12-09T10:30:00Z'),
      });
      const page = await browser.newPage();
      try {
        // Offline: a message must not need anything from the network to read.
        await page.route('**/*', (route) => route.abort());
        await page.setContent(message.html);
        const text = await page.innerText('body');
        expect(text).toContain("Anna O'Brien-Müller");
        expect(text).toContain('Muster & Partner <IT> AG');
        expect(text).not.toMatch(/\{\{|\}\}/);
        expect(await page.getAttribute('html', 'lang')).toBe(language);
        const links = await page
          .locator('a')
          .evaluateAll((anchors) => anchors.map((a) => String((a as { href?: unknown }).href)));
        for (const link of links) expect(link).toMatch(/^https:\/\//);
        if (kind === 'invitation') expect(links).toContain('https://example.test/accept?token=abc');
      } finally {
        await page.close();
      }
    },
  );
});
