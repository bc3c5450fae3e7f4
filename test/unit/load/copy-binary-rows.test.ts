import { BinaryCopyDecoder, type BinaryColumn, type BinaryValue } from '../../../src/load/copy/copy-binary-rows';

// PostgreSQL's binary COPY layout, written out by hand: signature, flags, extension length,
// then per row a field count and per field a length (-1 for NULL) and the bytes, then -1.
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

function int16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeInt16BE(value);
  return bytes;
}

function int32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
}

function field(value: BinaryValue): Buffer {
  if (value === null) return int32(-1);
  const bytes = typeof value === 'number' ? int32(value) : Buffer.from(value, 'utf8');
  return Buffer.concat([int32(bytes.length), bytes]);
}

function copyStream(rows: BinaryValue[][], extension = Buffer.alloc(0)): Buffer {
  return Buffer.concat([
    SIGNATURE,
    int32(0),
    int32(extension.length),
    extension,
    ...rows.map((row) => Buffer.concat([int16(row.length), ...row.map(field)])),
    int16(-1),
  ]);
}

function decode(columns: BinaryColumn[], chunks: Buffer[]): { rows: BinaryValue[][]; count: number } {
  const rows: BinaryValue[][] = [];
  const decoder = new BinaryCopyDecoder(columns, (values) => rows.push([...values]));
  for (const chunk of chunks) decoder.write(chunk);
  return { rows, count: decoder.end() };
}

const COLUMNS: BinaryColumn[] = ['int4', 'text', 'int4', 'text'];
const ROWS: BinaryValue[][] = [
  [1, 'plain', -7, null],
  [2147483647, 'Zürich ☁ 𝔘 ', null, ''],
  [-2147483648, null, 0, 'tab\there\nnewline\\backslash'],
];

describe('BinaryCopyDecoder', () => {
  it('decodes integers, text (ASCII and UTF-8), empty text and NULLs from one chunk', () => {
    expect(decode(COLUMNS, [copyStream(ROWS)])).toEqual({ rows: ROWS, count: 3 });
  });

  it('decodes the same rows whichever byte the chunks split at', () => {
    const stream = copyStream(ROWS);
    for (let split = 1; split < stream.length; split += 1) {
      expect(decode(COLUMNS, [stream.subarray(0, split), stream.subarray(split)]).rows).toEqual(ROWS);
    }
    expect(
      decode(
        COLUMNS,
        [...stream].map((byte) => Buffer.from([byte])),
      ).rows,
    ).toEqual(ROWS);
  });

  it('decodes label columns (values seen before found by their bytes) to the same text, whichever byte the chunks split at', () => {
    const labels: BinaryValue[][] = [
      ['Monthly', 'Zürich'],
      ['Annual', 'Zürich'],
      ['Monthly', null],
      ['Monthly ', ''],
      ['Annual', 'Zurich'],
    ];
    const stream = copyStream(labels);
    for (const chunks of [[stream], [...stream].map((byte) => Buffer.from([byte]))]) {
      const rows: BinaryValue[][] = [];
      const decoder = new BinaryCopyDecoder(['label', 'label'], (values) => rows.push([...values]));
      for (const chunk of chunks) decoder.write(chunk);
      expect(rows).toEqual(labels);
    }
  });

  it('keeps decoding a label column correctly past the distinct values it keeps', () => {
    const labels: BinaryValue[][] = Array.from({ length: 20_000 }, (_, index) => [`sku-${index % 17_000}`]);
    expect(decode(['label'], [copyStream(labels)]).rows).toEqual(labels);
  });

  it('skips a header extension area', () => {
    expect(decode(COLUMNS, [copyStream(ROWS, Buffer.from('future'))]).rows).toEqual(ROWS);
  });

  it('hands over one reused array per row, so a consumer copies what it keeps', () => {
    const seen: Array<ReadonlyArray<BinaryValue>> = [];
    const decoder = new BinaryCopyDecoder(COLUMNS, (values) => seen.push(values));
    decoder.write(copyStream(ROWS));
    expect(seen).toHaveLength(3);
    expect(seen[0]).toBe(seen[2]);
  });

  it('rejects what is not a binary COPY stream of these columns', () => {
    expect(() => decode(COLUMNS, [Buffer.from('1\tplain\t-7\t\\N\n'.repeat(3))])).toThrow('not a binary COPY stream');
    expect(() => decode(['int4', 'text'], [copyStream(ROWS)])).toThrow('binary COPY row 1 has 4 fields, expected 2');
    expect(() => decode(['int4', 'int4', 'int4', 'text'], [copyStream(ROWS)])).toThrow(
      'binary COPY column 2 is not a 4-byte integer (5 bytes)',
    );
  });

  it('rejects a stream that ends mid-row or without its trailer, and bytes after the trailer', () => {
    const stream = copyStream(ROWS);
    expect(() => decode(COLUMNS, [stream.subarray(0, stream.length - 5)])).toThrow(
      'binary COPY stream ended early, after 2 rows',
    );
    expect(() => decode(COLUMNS, [stream.subarray(0, stream.length - 2)])).toThrow('ended early, after 3 rows');
    expect(() => decode(COLUMNS, [stream, Buffer.from([0])])).toThrow('binary COPY data after its trailer');
  });
});
