import { describe, expect, it } from 'vitest';
import { buildCsv, csvCell, parseCsv } from './csv';

describe('csvCell', () => {
  const cases: [string | number | null | undefined, string][] = [
    ['plain', 'plain'],
    ['', ''],
    [null, ''],
    [undefined, ''],
    [42, '42'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r\nlf', '"cr\r\nlf"'],
    ['Đorđe Šćepanović', 'Đorđe Šćepanović'],
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+381 11 123', "'+381 11 123"],
    ['-5', "'-5"],
    ['@cmd', "'@cmd"],
    ['=1,2', `"'=1,2"`],
  ];
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () => expect(csvCell(input)).toBe(want));
  }
});

describe('buildCsv', () => {
  it('joins rows with CRLF and ends with one', () => {
    expect(buildCsv(['a', 'b'], [[1, 'x']])).toBe('a,b\r\n1,x\r\n');
  });

  it('round-trips awkward values through a CSV reader', () => {
    const rows = [
      ['INV-1', 'Petar "Pera" Perić, d.o.o.', 'line1\nline2', '1234.56'],
      ['INV-2', '', 'Ана Анић', '0.05'],
    ];
    const text = buildCsv(['n', 'customer', 'note', 'amount'], rows);
    expect(parseCsv(text)).toEqual([['n', 'customer', 'note', 'amount'], ...rows]);
  });
});
