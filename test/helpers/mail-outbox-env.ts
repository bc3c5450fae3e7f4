import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Messages a test's waves send go to a folder of the test file's own, never into the checkout.
process.env.MAIL_OUTBOX_DIR ??= mkdtempSync(join(tmpdir(), 'ppm-test-mail-'));
