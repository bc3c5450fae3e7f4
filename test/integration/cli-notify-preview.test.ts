import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPpm } from '../helpers/cli';

/** `ppm notify preview`, as someone checking a message's wording runs it (the built CLI; no service needed). */
describe('ppm notify preview', () => {
  it('renders a kind in the language asked, to standard output or a file', async () => {
    const de = await runPpm(['notify', 'preview', 'account-migrated', '--lang', 'de', '--format', 'text'], {});
    expect(de.code).toBe(0);
    expect(de.stdout).toMatch(/^Guten Tag Anna/);
    expect(de.stdout).toContain('Archivmodus');
    const headers = await runPpm(['notify', 'preview', 'webinar-invitation', '--format', 'headers'], {});
    expect(headers.stdout).toMatch(/^X-Notification-Kind: webinar-invitation$/m);
    expect(headers.stdout).toMatch(/^List-Unsubscribe: </m);

    const dir = mkdtempSync(join(tmpdir(), 'ppm-preview-'));
    try {
      const file = join(dir, 'csp.html');
      const written = await runPpm(['notify', 'preview', 'csp-enrollment', '--out', file], {});
      expect(written.code).toBe(0);
      const html = readFileSync(file, 'utf8');
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).toContain('6000123');
      expect(html).toContain('Muster &amp; Partner &lt;IT&gt; AG');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown kind or a missing --out folder with exit 2 and a clear message', async () => {
    const unknown = await runPpm(['notify', 'preview', 'newsletter'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/invalid for argument 'kind'/);
    const missing = await runPpm(['notify', 'preview', 'invitation', '--out', '/nonexistent-folder/x.html'], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/the folder \/nonexistent-folder does not exist/);
    expect(missing.stderr).not.toMatch(/ENOENT/);
  });
});
