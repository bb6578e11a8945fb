import { describe, expect, it } from 'vitest';
import {
  formatCsvField,
  neutraliseCsvFormula,
  quoteCsvField,
  toCsv,
} from '../../../src/domain/csv/csv';

describe('quoteCsvField', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['cr\rhere', '"cr\rhere"'],
    ["it's", "it's"],
    ['  spaced  ', '  spaced  '],
  ])('%j -> %j', (input, expected) => {
    expect(quoteCsvField(input)).toBe(expected);
  });
});

describe('neutraliseCsvFormula', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['@cmd', "'@cmd"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(neutraliseCsvFormula(input)).toBe(expected);
  });
});

describe('formatCsvField', () => {
  it('neutralises, then quotes', () => {
    expect(formatCsvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(formatCsvField('-1,2')).toBe('"\'-1,2"');
  });

  it('prints numbers and booleans as they are, and nothing for null', () => {
    expect(formatCsvField(0.82)).toBe('0.82');
    expect(formatCsvField(-0.5)).toBe('-0.5');
    expect(formatCsvField(Number.NaN)).toBe('');
    expect(formatCsvField(true)).toBe('true');
    expect(formatCsvField(null)).toBe('');
    expect(formatCsvField(undefined)).toBe('');
  });
});

describe('toCsv', () => {
  it('writes a header and CRLF-terminated records', () => {
    expect(
      toCsv(
        ['name', 'note'],
        [
          ['a', 'x,y'],
          ['=1+1', null],
        ],
      ),
    ).toBe('name,note\r\na,"x,y"\r\n\'=1+1,\r\n');
  });

  it('writes only the header for no rows', () => {
    expect(toCsv(['a', 'b'], [])).toBe('a,b\r\n');
  });
});
