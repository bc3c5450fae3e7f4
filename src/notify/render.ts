import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Handlebars from 'handlebars';
import { messageIdOf } from './event-key';
import type { MessageKind, MessagePayload } from './payloads';

/** Links the messages point to; defaults are the public pages of the Marketplace Platform. */
export interface MessageLinks {
  keyConceptsUrl: string;
  platformInterfaceUrl: string;
  cspProgramUrl: string;
  webinarUrl: string;
  unsubscribeUrl: string;
}

export const DEFAULT_LINKS: MessageLinks = {
  keyConceptsUrl: 'https://docs.platform.softwareone.com/getting-started/key-concepts',
  platformInterfaceUrl: 'https://docs.platform.softwareone.com/getting-started/platform-interface',
  cspProgramUrl: 'https://www.softwareone.com/en/partners/csp-partner-program',
  webinarUrl: 'https://www.softwareone.com/en/events/marketplace-platform-webinars',
  unsubscribeUrl: 'https://www.softwareone.com/en/unsubscribe',
};

/** A message ready for a transport. */
export interface RenderedMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `Message-ID` (from the event key), `X-Notification-Kind`, and `List-Unsubscribe` for the webinar. */
  headers: Record<string, string>;
}

/** What only the sender knows: the invitation's accept link and expiry. */
export interface RenderExtras {
  acceptLink?: string;
  expiresAt?: Date;
  links?: Partial<MessageLinks>;
}

interface CompiledTemplate {
  subject: HandlebarsTemplateDelegate;
  text: HandlebarsTemplateDelegate;
  html: HandlebarsTemplateDelegate;
}

/** The folder of the template files: `templates/notify/` beside the project's package.json. */
function templatesDir(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'templates', 'notify'))) {
      return join(dir, 'templates', 'notify');
    }
    if (dirname(dir) === dir) throw new Error('templates/notify not found above ' + __dirname);
  }
}

const cache = new Map<string, CompiledTemplate>();

/**
 * A template file: a `subject:` line, then `--- text` and `--- html` sections. The text parts
 * are not HTML-escaped; the HTML part is, by Handlebars. `strict`: a missing value is an error,
 * so no placeholder is ever sent.
 */
function compiled(kind: MessageKind, language: string): CompiledTemplate {
  const key = `${kind}.${language}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const dir = templatesDir();
  const file = existsSync(join(dir, `${key}.hbs`)) ? join(dir, `${key}.hbs`) : join(dir, `${kind}.en.hbs`);
  const source = readFileSync(file, 'utf8');
  const match = /^subject: (.*)\n--- text\n([\s\S]*?)\n--- html\n([\s\S]*)$/.exec(source);
  if (!match) throw new Error(`${file}: expected a subject line, then '--- text' and '--- html' sections`);
  const template: CompiledTemplate = {
    subject: Handlebars.compile(match[1]!, { noEscape: true, strict: true }),
    text: Handlebars.compile(match[2]!, { noEscape: true, strict: true }),
    html: Handlebars.compile(match[3]!, { strict: true }),
  };
  cache.set(key, template);
  return template;
}

const EXPIRY_FORMAT = { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' } as const;

/** Renders a message in the payload's language (English where no template of it exists). */
export function renderMessage(payload: MessagePayload, extras: RenderExtras = {}): RenderedMessage {
  const links = { ...DEFAULT_LINKS, ...extras.links };
  const template = compiled(payload.kind, payload.language);
  const data = {
    ...links,
    partnerName: payload.partnerName,
    firstName: payload.recipient.firstName,
    lastName: payload.recipient.lastName,
    accountId: payload.accountId ?? '',
    mpnIdText: payload.mpnId ?? (payload.language === 'de' ? 'keine hinterlegt' : 'none on file'),
    acceptLink: extras.acceptLink ?? '',
    expiresAt: extras.expiresAt
      ? `${new Intl.DateTimeFormat(payload.language === 'de' ? 'de-CH' : 'en-GB', EXPIRY_FORMAT).format(extras.expiresAt)} UTC`
      : '',
  };
  const headers: Record<string, string> = {
    'Message-ID': messageIdOf(payload.eventKey),
    'X-Notification-Kind': payload.kind,
  };
  if (payload.kind === 'webinar-invitation') {
    headers['List-Unsubscribe'] = `<${links.unsubscribeUrl}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  return {
    to: payload.recipient.email,
    subject: template.subject(data).trim(),
    text: template.text(data),
    html: `<!doctype html><html lang="${payload.language}"><head><meta charset="utf-8"></head><body>${template.html(data)}</body></html>`,
    headers,
  };
}

/** A payload with sample names, for looking at a message (`ppm notify preview`) and for tests. */
export function sampleMessagePayload(kind: MessageKind, language: 'en' | 'de' = 'en'): MessagePayload {
  return {
    v: 1,
    eventKey: `${kind}.1.1001`,
    kind,
    partnerId: 1,
    partnerName: 'Muster & Partner <IT> AG',
    accountId: kind === 'migration-scheduled' ? null : 'ACC-0000-0001',
    mpnId: '6000123',
    language,
    legacyUserId: 1001,
    accountUserId: kind === 'invitation' ? 'AUSR-0000-1001' : null,
    recipient: { email: 'anna.muster@example.com', firstName: 'Anna', lastName: "O'Brien-Müller" },
  };
}
