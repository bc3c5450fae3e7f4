const EMAIL = /[^@\s"'<>(),;:/*\[\]]+@[^@\s"'<>(),;:/*]*\.[^@\s"'<>(),;:/*]+/g;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^:@/\s]*)(?::[^@/\s]*)?@/gi;

/** Masks the password and user of every connection URL in a text (`mysql://***@host/db`). */
export function redactUrl(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1***@');
}

/** Masks e-mail addresses, keeping only the domain: `***@example.com`. */
export function redactEmail(text: string): string {
  return text.replace(EMAIL, (match) => `***@${match.slice(match.lastIndexOf('@') + 1)}`);
}

/** Everything that may not appear in a log line or an error shown to a user. */
export function redactText(text: string): string {
  return redactEmail(redactUrl(text));
}

/** `host:port/database` of a database URL (the scheme's port when none is given): what messages may name, never credentials. */
export function describeDatabaseUrl(url: string, defaultPort: number, engine: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || defaultPort}${parsed.pathname}`;
  } catch {
    return `${engine} (unparsable URL)`;
  }
}
