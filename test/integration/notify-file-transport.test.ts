import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileTransport, messageIdOf, renderMessage, sampleMessagePayload } from '../../src/notify';

describe('file transport', () => {
  it('writes one .eml per message, named by its Message-ID; writing it again replaces it', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ppm-eml-')), 'outbox');
    const transport = createFileTransport({ dir, from: 'migration@example.com' });
    try {
      const invitation = renderMessage(sampleMessagePayload('invitation', 'de'), {
        acceptLink: 'https://example.test/a?t=1',
      });
      const webinar = renderMessage(sampleMessagePayload('webinar-invitation'));
      await transport.send(invitation);
      await transport.send(webinar);
      await transport.send(invitation);
      const files = readdirSync(dir).sort();
      expect(files).toHaveLength(2);
      const text = readFileSync(
        join(
          dir,
          files.find((f) => f.startsWith(messageIdOf('invitation.1.1001').slice(1, 9)))!,
        ),
        'utf8',
      );
      expect(text).toMatch(/^Message-ID: <[0-9a-f]{32}@/m);
      expect(text).toMatch(/^X-Notification-Kind: invitation$/m);
      expect(text).toMatch(/^To: anna\.muster@example\.com$/m);
      expect(text).not.toMatch(/^List-Unsubscribe/m);
      const other = readFileSync(
        join(
          dir,
          files.find((f) => !text.includes(f.replace('.eml', '')))!,
        ),
        'utf8',
      );
      expect(other).toMatch(/^List-Unsubscribe: <https:/m);
    } finally {
      await transport.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
