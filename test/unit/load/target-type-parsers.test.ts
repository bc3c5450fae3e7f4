import { parseLocalTimestamp, parseUtcTimestamp, targetTypeParsers } from '../../../src/load/connection/connect-target';

describe('target type parsers', () => {
  it('keep dates as YYYY-MM-DD and numerics as exact strings', () => {
    expect(targetTypeParsers.getTypeParser(1082)('2024-02-29')).toBe('2024-02-29');
    expect(targetTypeParsers.getTypeParser(1700)('12.3400')).toBe('12.3400');
    expect(targetTypeParsers.getTypeParser(20)('18446744073709551615')).toBe('18446744073709551615');
  });

  it('write timestamp in the legacy wall-clock form with milliseconds', () => {
    expect(parseLocalTimestamp('2024-02-29 10:30:00')).toBe('2024-02-29 10:30:00.000');
    expect(parseLocalTimestamp('2024-02-29 10:30:00.5')).toBe('2024-02-29 10:30:00.500');
    expect(parseLocalTimestamp('2024-02-29 10:30:00.123456')).toBe('2024-02-29 10:30:00.123');
    expect(parseLocalTimestamp('infinity')).toBe('infinity');
  });

  it('write timestamptz as ISO 8601 UTC', () => {
    expect(parseUtcTimestamp('2024-02-29 10:30:00+00')).toBe('2024-02-29T10:30:00.000Z');
    expect(parseUtcTimestamp('2024-03-31 03:30:00.25+02')).toBe('2024-03-31T01:30:00.250Z');
    expect(parseUtcTimestamp('infinity')).toBe('infinity');
  });
});
