import { idFromLegacyInt, idFromText } from '../../../src/core/ids';
import { redactText } from '../../../src/core/redact';
import { prefetch } from '../../../src/core/prefetch';

describe('marketplace ids', () => {
  it('uses the prefix and groups of four digits', () => {
    expect(idFromLegacyInt('account', 42)).toBe('ACC-0000-0000-0000-0042');
    expect(idFromText('user', 'a@b.ch')).toMatch(/^USR-\d{4}-\d{4}-\d{4}-\d{4}$/);
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
