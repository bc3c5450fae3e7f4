import { addMonths, localToUtcIso } from '../../../src/core/time';
import { convertLegacyDateTime, isSentinelDateTime } from '../../../src/transform';

const ZONE = 'Europe/Zurich';

describe('convertLegacyDateTime (Europe/Zurich)', () => {
  it.each([
    ['winter time, UTC+1', '2024-01-15 12:00:00.000', '2024-01-15T11:00:00.000Z'],
    ['summer time, UTC+2', '2024-07-15 12:00:00.000', '2024-07-15T10:00:00.000Z'],
    ['milliseconds kept', '2024-07-15 12:00:00.123', '2024-07-15T10:00:00.123Z'],
    ['last instant before the spring gap', '2024-03-31 01:59:59.997', '2024-03-31T00:59:59.997Z'],
    ['spring gap start shifted forward by the gap', '2024-03-31 02:00:00.000', '2024-03-31T01:00:00.000Z'],
    ['spring gap middle shifted forward by the gap', '2024-03-31 02:30:00.000', '2024-03-31T01:30:00.000Z'],
    ['first instant after the spring gap', '2024-03-31 03:00:00.000', '2024-03-31T01:00:00.000Z'],
    ['before the autumn overlap', '2024-10-27 01:59:59.000', '2024-10-26T23:59:59.000Z'],
    ['autumn overlap takes the earlier (summer) instant', '2024-10-27 02:00:00.000', '2024-10-27T00:00:00.000Z'],
    ['autumn overlap middle, earlier instant', '2024-10-27 02:30:00.000', '2024-10-27T00:30:00.000Z'],
    ['after the autumn overlap', '2024-10-27 03:00:00.000', '2024-10-27T02:00:00.000Z'],
    ['2019 spring gap', '2019-03-31 02:15:00.000', '2019-03-31T01:15:00.000Z'],
    ['midnight stays on its local date', '2024-03-01 00:30:00.000', '2024-02-29T23:30:00.000Z'],
  ])('%s: %s -> %s', (_label, local, utc) => {
    expect(convertLegacyDateTime(local, ZONE)).toEqual({ kind: 'instant', utc, date: local.slice(0, 10) });
  });

  it.each([['1900-01-01 00:00:00.000'], ['1753-01-01 00:00:00.000'], ['1900-01-01 00:00:00']])(
    '%s is the unknown sentinel',
    (local) => {
      expect(isSentinelDateTime(local)).toBe(true);
      expect(convertLegacyDateTime(local, ZONE)).toEqual({ kind: 'sentinel' });
    },
  );

  it.each([['1900-01-01 00:00:01.000'], ['1900-01-01 00:00:00.003'], ['1900-01-02 00:00:00.000']])(
    '%s is a real (if odd) time',
    (local) => {
      expect(isSentinelDateTime(local)).toBe(false);
      expect(convertLegacyDateTime(local, ZONE).kind).toBe('instant');
    },
  );

  it.each([['2023-02-30 10:00:00.000'], ['not a date'], ['2023-13-01 10:00:00.000']])('%s is invalid', (local) => {
    expect(convertLegacyDateTime(local, ZONE)).toEqual({ kind: 'invalid' });
  });
});

describe('the per-day (and per-hour) offset memo agrees with core/time.ts', () => {
  it.each([['Europe/Zurich'], ['America/New_York'], ['Australia/Lord_Howe'], ['Asia/Kolkata']])(
    '%s, every 37 minutes of 2024 (twice)',
    (zone) => {
      const mismatches: string[] = [];
      for (let pass = 0; pass < 2; pass++) {
        for (let ms = Date.UTC(2024, 0, 1); ms < Date.UTC(2025, 0, 1); ms += 37 * 60_000) {
          const local = new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
          const converted = convertLegacyDateTime(local, zone);
          const utc = converted.kind === 'instant' ? converted.utc : undefined;
          if (utc !== localToUtcIso(local, zone)) mismatches.push(local);
        }
      }
      expect(mismatches).toEqual([]);
    },
  );
});

describe('addMonths clamps to the last day of the month', () => {
  it.each([
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-03-31', 1, '2024-04-30'],
    ['2024-08-31', 6, '2025-02-28'],
    ['2024-05-15', 36, '2027-05-15'],
  ])('%s + %i months = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});
