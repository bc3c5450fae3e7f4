import {
  ISO_COUNTRIES,
  ISO_CURRENCIES,
  normaliseCountry,
  normaliseCurrency,
  normaliseEmail,
  normaliseGuid,
  optionalText,
  quoteForDetail,
  trimText,
} from '../../../src/transform';

describe('normaliseEmail', () => {
  it.each([
    [' Anna.Muster@Acme.CH ', 'anna.muster@acme.ch'],
    ['a@b.co', 'a@b.co'],
    ['first+tag@sub.example.org', 'first+tag@sub.example.org'],
    ['ÜSER@exämple.ch', 'üser@exämple.ch'],
  ])('%j is valid as %j', (raw, expected) => {
    expect(normaliseEmail(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['n/a'],
    ['anna'],
    ['anna@'],
    ['@acme.ch'],
    ['anna@acme'],
    ['anna@@acme.ch'],
    ['an na@acme.ch'],
    ['anna@acme.ch.'],
    ['anna@.acme.ch'],
    ['anna@acme.'],
    ['a@b@c.ch'],
    ['anna@acme .ch'],
  ])('%j is invalid', (raw) => {
    expect(normaliseEmail(raw)).toMatchObject({ ok: false, absent: false });
  });

  it.each([[null], [''], ['   ']])('%j is absent', (raw) => {
    expect(normaliseEmail(raw)).toMatchObject({ ok: false, absent: true });
  });
});

describe('normaliseCountry', () => {
  it.each([
    ['CH', 'CH'],
    ['ch', 'CH'],
    [' de ', 'DE'],
    ['UK', 'GB'],
    ['uk ', 'GB'],
    ['gb', 'GB'],
    ['US', 'US'],
  ])('%j -> %j', (raw, expected) => {
    expect(normaliseCountry(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['XX', 'XX'],
    ['CHE', 'CHE'],
    ['E1', 'E1'],
    ['EU', 'EU'],
    ['zz', 'ZZ'],
  ])('%j is invalid, normalised to %j', (raw, value) => {
    expect(normaliseCountry(raw)).toEqual({ ok: false, absent: false, value });
  });

  it.each([[null], [''], ['  ']])('%j is absent', (raw) => {
    expect(normaliseCountry(raw)).toMatchObject({ ok: false, absent: true });
  });
});

describe('normaliseCurrency', () => {
  it.each([
    ['CHF', 'CHF'],
    ['chf', 'CHF'],
    [' eur', 'EUR'],
    ['usd ', 'USD'],
    ['JPY', 'JPY'],
  ])('%j -> %j', (raw, expected) => {
    expect(normaliseCurrency(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['EU', 'EU'],
    ['xyz', 'XYZ'],
    ['€', '€'],
    ['XXX', 'XXX'],
    ['ABC', 'ABC'],
  ])('%j is invalid, normalised to %j', (raw, value) => {
    expect(normaliseCurrency(raw)).toEqual({ ok: false, absent: false, value });
  });
});

describe('normaliseGuid', () => {
  it.each([
    ['6F9619FF-8B86-D011-B42D-00C04FC964FF', '6f9619ff-8b86-d011-b42d-00c04fc964ff'],
    [' 6f9619ff-8b86-d011-b42d-00c04fc964ff ', '6f9619ff-8b86-d011-b42d-00c04fc964ff'],
    ['{6F9619FF-8B86-D011-B42D-00C04FC964FF}', '6f9619ff-8b86-d011-b42d-00c04fc964ff'],
    ['6F9619FF8B86D011B42D00C04FC964FF', '6f9619ff-8b86-d011-b42d-00c04fc964ff'],
  ])('%j -> %j', (raw, expected) => {
    expect(normaliseGuid(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['not-a-guid'],
    ['6F9619FF-8B86-D011-B42D-00C04FC964F'],
    ['6F9619FF-8B86-D011-B42D-00C04FC964FG'],
    ['6F9619FF-8B86D011-B42D-00C04FC964FF'],
  ])('%j is invalid', (raw) => {
    expect(normaliseGuid(raw)).toMatchObject({ ok: false, absent: false });
  });
});

describe('text', () => {
  it.each([
    [' Zürich ', 'Zürich', 'Zürich'],
    ['  ', '', null],
    [null, null, null],
    ['東京 🚀 ', '東京 🚀', '東京 🚀'],
    ['A  B', 'A  B', 'A  B'],
  ])('%j trims to %j, optional %j', (raw, trimmed, optional) => {
    expect(trimText(raw)).toBe(trimmed);
    expect(optionalText(raw)).toBe(optional);
  });

  it('quotes values for details without e-mail addresses', () => {
    expect(quoteForDetail('XX')).toBe("'XX'");
    expect(quoteForDetail(null)).toBe('NULL');
    expect(quoteForDetail('anna@acme.ch')).toBe('[redacted]');
    expect(quoteForDetail('x'.repeat(100))).toHaveLength(43);
  });
});

describe('ISO lists', () => {
  it('holds the 249 ISO 3166-1 alpha-2 codes and every seller country', () => {
    expect(ISO_COUNTRIES.size).toBe(249);
    for (const code of 'AT AU BE BR CA CH DE DK ES FI FR GB IE IN IT JP MX NL NO PL PT SE SG US ZA'.split(' ')) {
      expect(ISO_COUNTRIES.has(code)).toBe(true);
    }
    expect(ISO_COUNTRIES.has('UK')).toBe(false);
  });

  it('holds current ISO 4217 currencies, three upper-case letters each', () => {
    for (const code of ISO_CURRENCIES) expect(code).toMatch(/^[A-Z]{3}$/);
    for (const code of ['CHF', 'EUR', 'USD', 'GBP', 'JPY', 'SEK', 'XOF']) expect(ISO_CURRENCIES.has(code)).toBe(true);
  });
});
