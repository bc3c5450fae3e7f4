import { Option, type Command } from 'commander';
import { MESSAGE_KINDS, renderMessage, sampleMessagePayload, type MessageKind } from '../notify';
import { writeOutputFile } from './output-file';

const out = (text: string) => process.stdout.write(`${text}\n`);

/** `ppm notify ...`: the partner-facing messages. */
export function registerNotifyCommands(program: Command): void {
  const notify = program.command('notify').description('the messages partners receive at announce and cutover');
  notify
    .command('preview')
    .description('render a message with sample names, to look at it (HTML by default)')
    .addArgument(program.createArgument('<kind>', 'the message kind').choices(MESSAGE_KINDS))
    .addOption(new Option('--lang <language>', 'the language of the message').choices(['en', 'de']).default('en'))
    .addOption(
      new Option('--format <format>', 'html, text, or the subject and headers')
        .choices(['html', 'text', 'headers'])
        .default('html'),
    )
    .option('--out <file>', 'write to this file instead of standard output')
    .action((kind: MessageKind, options: { lang: 'en' | 'de'; format: 'html' | 'text' | 'headers'; out?: string }) => {
      const message = renderMessage(sampleMessagePayload(kind, options.lang), {
        acceptLink: 'https://portal.platform.softwareone.com/invitations/accept?token=SAMPLE',
        expiresAt: new Date(Date.now() + 7 * 24 * 3600 * 1000),
      });
      const text =
        options.format === 'html'
          ? message.html
          : options.format === 'text'
            ? message.text
            : [
                `Subject: ${message.subject}`,
                ...Object.entries(message.headers).map(([name, value]) => `${name}: ${value}`),
              ].join('\n');
      if (options.out) {
        writeOutputFile(options.out, text);
        out(`wrote ${options.out}`);
      } else {
        process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      }
    });
}
