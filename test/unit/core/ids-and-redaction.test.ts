import { createHash } from 'node:crypto';
import { idFromLegacyInt, idFromText } from '../../../src/core/ids';
import { redactText } from '../../../src/core/redact';
import { prefetch } from '../../../src/core/prefetch';

describe('marketplace ids', () => {
  it('uses the prefix and groups of four digits', () => {
    expect(idFromLegacyInt('account', 42)).toBe('ACC-0000-0000-0000-0042');
    expect(idFromText('user', 'a@b.ch')).toMatch(/^USR-\d{4}-\d{4}-\d{4}-\d{4}$/);
  });

  it('keeps the ids already written: 16 digits are the first 64 bits of the SHA-256 modulo 10^16', () => {
    // The definition, as the ids in migration.id_map were made; a faster idFromText must give the same.
    const reference = (kind: string, prefix: string, key: string) => {
      const digits = (createHash('sha256').update(`${kind}\u0000${key}`).digest().readBigUInt64BE(0) % 10n ** 16n)
        .toString()
        .padStart(16, '0');
      return `${prefix}-${digits.slice(0, 4)}-${digits.slice(4, 8)}-${digits.slice(8, 12)}-${digits.slice(12, 16)}`;
    };
    for (let index = 0; index < 2_000; index += 1) {
      const key = `${index}-Zürich-${'x'.repeat(index % 40)}@example.com`;
      expect(idFromText('user', key)).toBe(reference('user', 'USR', key));
      expect(idFromText('subscription', key)).toBe(reference('subscription', 'SUB', key));
    }
  });

  it('is stable and separates kinds', () => {
    expect(idFromText('subscription', 'SUB-1')).toBe(idFromText('subscription', 'SUB-1'));
    expect(idFromText('subscription', 'SUB-1').slice(4)).not.toBe(idFromText('agreement', 'SUB-1').slice(4));
  });
});

describe('redaction', () => {
  it('removes passwords and e-mail addresses', () => {
    const text = redactText('connect mssql://sa:P4ss@db:1433/pp failed for Jane.Doe@example.com');
    expect(text).toBe('connect mssql://***@db:1433/pp failed for ***@example.com');
  });
});

describe('prefetch', () => {
  it('yields every item in order while reading one ahead', async () => {
    const reads: number[] = [];
    async function* source() {
      for (let i = 0; i < 5; i += 1) {
        reads.push(i);
        yield i;
      }
    }
    const seen: number[] = [];
    for await (const item of prefetch(source())) {
      seen.push(item);
      expect(reads.length).toBeGreaterThanOrEqual(Math.min(5, item + 2));
    }
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });
});
