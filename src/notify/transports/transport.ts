import { redactText } from '../../core/redact';
import type { RenderedMessage } from '../render';

/** Where rendered messages go: an SMTP relay, or a folder of .eml files. */
export interface MessageTransport {
  send(message: RenderedMessage): Promise<void>;
  close(): Promise<void>;
}

/** A delivery that failed; `permanent` (an SMTP 5xx) is not retried. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly responseCode?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** A transport's error as a DeliveryError: 5xx replies are permanent, 4xx replies and connection errors retryable. */
export function classifyDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const fields = error as { responseCode?: number; response?: string; message?: string; code?: string };
  const code = typeof fields.responseCode === 'number' ? fields.responseCode : undefined;
  const text = redactText(String(fields.response ?? fields.message ?? error));
  const permanent = code !== undefined && code >= 500 && code < 600;
  return new DeliveryError(
    code ? `SMTP ${code}: ${text}` : `${fields.code ?? 'delivery failed'}: ${text}`,
    permanent,
    code,
  );
}

/** nodemailer's options for a rendered message: the Message-ID apart, the other headers as given. */
export function toMailOptions(message: RenderedMessage, from: string) {
  const { 'Message-ID': messageId, ...headers } = message.headers;
  return { from, to: message.to, subject: message.subject, text: message.text, html: message.html, messageId, headers };
}
