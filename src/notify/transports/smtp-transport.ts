import nodemailer from 'nodemailer';
import type { RenderedMessage } from '../render';
import { classifyDeliveryError, toMailOptions, type MessageTransport } from './transport';

export interface SmtpTransportOptions {
  /** `smtp://host:port` (or `smtps://`, with credentials in the URL when the relay needs them). */
  url: string;
  /** Messages handed to the relay per second at most. */
  maxPerSecond: number;
  /** The sender address. */
  from: string;
}

/** Sends through an SMTP relay over a pool of connections, at most `maxPerSecond` messages a second. */
export function createSmtpTransport(options: SmtpTransportOptions): MessageTransport {
  const transporter = nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: 4,
    rateDelta: 1000,
    rateLimit: options.maxPerSecond,
  } as unknown as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send(message: RenderedMessage) {
      try {
        await transporter.sendMail(toMailOptions(message, options.from));
      } catch (error) {
        throw classifyDeliveryError(error);
      }
    },
    async close() {
      transporter.close();
    },
  };
}
