import { addMonths, isCalendarDate, localToUtcIso, parseLocalDateTime } from '../../../src/core/time';

const ZURICH = 'Europe/Zurich';

describe('localToUtcIso (Europe/Zurich)', () => {
  it.each([
    ['winter time is UTC+1', '2024-01-15 10:00:00.000', '2024-01-15T09:00:00.000Z'],
    ['summer time is UTC+2', '2024-07-15 10:00:00.000', '2024-07-15T08:00:00.000Z'],
    ['the spring-forward gap shifts forward by the gap', '2024-03-31 02:30:00.000', '2024-03-31T01:30:00.000Z'],
    ['the first minute of the gap', '2024-03-31 02:00:00.000', '2024-03-31T01:00:00.000Z'],
    ['just after the gap', '2024-03-31 03:00:00.000', '2024-03-31T01:00:00.000Z'],
    ['the autumn overlap takes the earlier (summer) instant', '2024-10-27 02:30:00.000', '2024-10-27T00:30:00.000Z'],
    ['after the overlap is winter time', '2024-10-27 03:00:00.000', '2024-10-27T02:00:00.000Z'],
    ['milliseconds survive', '2021-12-31 23:59:59.997', '2021-12-31T22:59:59.997Z'],
  ])('%s', (_, local, utc) => {
    expect(localToUtcIso(local, ZURICH)).toBe(utc);
  });

  it('rejects what is not a local date-time', () => {
    expect(localToUtcIso('2024-02-30 10:00:00', ZURICH)).toBeUndefined();
    expect(localToUtcIso('yesterday', ZURICH)).toBeUndefined();
  });
});

describe('addMonths', () => {
  it.each([
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-03-15', 36, '2027-03-15'],
    ['2024-11-30', 3, '2025-02-28'],
    ['2024-05-31', -1, '2024-04-30'],
  ])('%s + %i months = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('knows calendar dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2000-02-29')).toBe(true);
    expect(isCalendarDate('1900-02-29')).toBe(false);
    expect(isCalendarDate('2024-04-31')).toBe(false);
    expect(isCalendarDate('2024-12-31')).toBe(true);
    expect(isCalendarDate('0004-02-29')).toBe(true);
    for (const text of [
      '2024-13-01',
      '2024-00-10',
      '2024-01-00',
      '2024-1-01',
      '2024-01-011',
      '2024/01/01',
      '20x4-01-01',
      ' 2024-01-01',
      '',
    ]) {
      expect(isCalendarDate(text)).toBe(false);
    }
  });

  it('agrees with the JavaScript calendar on every day of a leap cycle, and adds months across years both ways', () => {
    for (let day = 0; day < 366 * 5; day += 1) {
      const date = new Date(Date.UTC(2023, 0, 1 + day)).toISOString().slice(0, 10);
      expect(isCalendarDate(date)).toBe(true);
      for (const months of [-25, -1, 1, 11, 12, 13]) {
        const [y, m, d] = date.split('-').map(Number);
        const target = new Date(Date.UTC(y, m - 1 + months, 1));
        const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
        const expected = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d, last)))
          .toISOString()
          .slice(0, 10);
        expect(addMonths(date, months)).toBe(expected);
      }
    }
    expect(() => addMonths('2024-02-30x', 1)).toThrow('not a date');
  });
});

describe('parseLocalDateTime', () => {
  // The pattern the reader implements: the date-time shape, one to seven fraction digits.
  const SHAPE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;

  it.each([
    ['2024-01-15 10:00:00', { wallMs: Date.UTC(2024, 0, 15, 10), date: '2024-01-15' }],
    ['2024-01-15T10:00:00.5', { wallMs: Date.UTC(2024, 0, 15, 10, 0, 0, 500), date: '2024-01-15' }],
    [' 2021-12-31 23:59:59.9973333 ', { wallMs: Date.UTC(2021, 11, 31, 23, 59, 59, 997), date: '2021-12-31' }],
    ['2024-02-29 00:00:00.000', { wallMs: Date.UTC(2024, 1, 29), date: '2024-02-29' }],
  ])('reads %j', (text, expected) => {
    expect(parseLocalDateTime(text)).toEqual(expected);
  });

  it.each([
    ['2023-02-29 00:00:00'],
    ['2024-01-15 10:00:00.'],
    ['2024-01-15 10:00:00.12345678'],
    ['2024-01-15_10:00:00'],
    ['2024-1-15 10:00:00'],
    ['2024-01-15 10:00'],
    ['2024-01-15 24:00:00'],
    ['２０２４-01-15 10:00:00'],
    [''],
  ])('refuses %j', (text) => {
    expect(parseLocalDateTime(text)).toBeUndefined();
  });

  it('accepts exactly what the shape matches, on text mutated a character at a time', () => {
    const seeds = ['2024-03-31 02:30:00.123', '1999-12-31T23:59:59', '2000-02-29 12:00:00.1234567'];
    const alphabet = ['0', '1', '2', '5', '9', '-', ':', '.', ' ', 'T', 'x', ''];
    const disagreements: string[] = [];
    for (const seed of seeds) {
      for (let at = 0; at <= seed.length; at++) {
        for (const char of alphabet) {
          for (const text of [
            seed.slice(0, at) + char + seed.slice(at + 1),
            seed.slice(0, at) + char + seed.slice(at),
          ]) {
            const shaped = SHAPE.test(text.trim());
            const parsed = parseLocalDateTime(text);
            if (!shaped && parsed !== undefined) disagreements.push(`accepted ${JSON.stringify(text)}`);
            if (shaped && parsed !== undefined && parsed.date !== text.trim().slice(0, 10))
              disagreements.push(`misread ${JSON.stringify(text)}`);
          }
        }
      }
    }
    expect(disagreements).toEqual([]);
  });
});
