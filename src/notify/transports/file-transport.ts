import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { RenderedMessage } from '../render';
import { toMailOptions, type MessageTransport } from './transport';

/** Writes each message as `<folder>/<Message-ID>.eml`: writing one again replaces it with the same file. */
export function createFileTransport(options: { dir: string; from: string }): MessageTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message: RenderedMessage) {
      const info = await composer.sendMail(toMailOptions(message, options.from));
      await mkdir(options.dir, { recursive: true });
      const name = join(
        options.dir,
        `${message.headers['Message-ID']!.replace(/[<>]/g, '').replace(/[^A-Za-z0-9.@-]/g, '_')}.eml`,
      );
      // Written aside, then renamed: a reader never sees half a message.
      await writeFile(`${name}.tmp`, info.message as Buffer);
      await rename(`${name}.tmp`, name);
    },
    async close() {
      composer.close();
    },
  };
}
