import {
  MESSAGE_KINDS,
  messageIdOf,
  messagePayloadSchema,
  renderMessage,
  sampleMessagePayload,
} from '../../../src/notify';

describe('renderMessage', () => {
  const expiresAt = new Date('2026-12-09T10:30:00Z');
  const acceptLink = 'https://example.test/accept?token=abc';

  it.each(MESSAGE_KINDS.flatMap((kind) => (['en', 'de'] as const).map((language) => [kind, language] as const)))(
    '%s in %s: names present, HTML escaped, no placeholder left',
    (kind, language) => {
      const payload = sampleMessagePayload(kind, language);
      expect(messagePayloadSchema.parse(payload)).toEqual(payload);
      const message = renderMessage(payload, { acceptLink, expiresAt });
      expect(message.to).toBe('anna.muster@example.com');
      for (const part of [message.subject, message.text, message.html]) expect(part).not.toMatch(/\{\{|\}\}/);
      expect(message.text).toContain("Anna O'Brien-Müller");
      expect(message.html).toContain('Anna O&#x27;Brien-Müller');
      expect(message.html).toContain('Muster &amp; Partner &lt;IT&gt; AG');
      expect(message.html).not.toContain('<IT>');
      expect(message.html).toMatch(new RegExp(`^<!doctype html><html lang="${language}">`));
      expect(message.headers['X-Notification-Kind']).toBe(kind);
      expect(message.headers['Message-ID']).toBe(messageIdOf(payload.eventKey));
      expect('List-Unsubscribe' in message.headers).toBe(kind === 'webinar-invitation');
    },
  );

  it('writes German to German partners and English otherwise', () => {
    expect(renderMessage(sampleMessagePayload('account-migrated', 'de')).text).toMatch(/^Guten Tag Anna/);
    expect(renderMessage(sampleMessagePayload('account-migrated', 'en')).text).toMatch(/^Hello Anna/);
  });

  it('carries what each kind needs: the accept link and expiry, the MPN id, the platform pages', () => {
    const invitation = renderMessage(sampleMessagePayload('invitation'), { acceptLink, expiresAt });
    expect(invitation.text).toContain(acceptLink);
    // Attribute values are entity-escaped by Handlebars (a browser reads `&#x3D;` as `=`).
    expect(invitation.html).toContain('href="https://example.test/accept?token&#x3D;abc"');
    expect(invitation.text).toContain('9 December 2026');
    expect(renderMessage(sampleMessagePayload('csp-enrollment')).text).toContain('6000123');
    const scheduled = renderMessage(sampleMessagePayload('migration-scheduled'));
    expect(scheduled.text).toMatch(/Key Concepts: https:\/\//);
    expect(scheduled.text).toMatch(/Platform Interface: https:\/\//);
    expect(scheduled.text).toContain('Nothing is needed from you');
  });

  it('derives the same Message-ID from the same event key, and another from another', () => {
    expect(messageIdOf('invitation.AUSR-1')).toBe(messageIdOf('invitation.AUSR-1'));
    expect(messageIdOf('invitation.AUSR-1')).not.toBe(messageIdOf('invitation.AUSR-2'));
    expect(messageIdOf('invitation.AUSR-1')).toMatch(/^<[0-9a-f]{32}@[a-z.]+>$/);
  });
});
