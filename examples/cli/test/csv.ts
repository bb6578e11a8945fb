/** A strict RFC 4180 reader for the tests: quoted fields, doubled quotes, CRLF records. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let index = 0;
  let quoted = false;
  while (index < text.length) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 2;
      } else if (char === '"') {
        quoted = false;
        index += 1;
      } else {
        field += char;
        index += 1;
      }
      continue;
    }
    if (char === '"') {
      if (field !== '') throw new Error(`A quote inside an unquoted field at ${index}`);
      quoted = true;
      index += 1;
    } else if (char === ',') {
      record.push(field);
      field = '';
      index += 1;
    } else if (char === '\r' && text[index + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      index += 2;
    } else if (char === '\n' || char === '\r') {
      throw new Error(`A bare line break at ${index}: records must end with CRLF`);
    } else {
      field += char;
      index += 1;
    }
  }
  if (quoted) throw new Error('An unterminated quoted field');
  if (field !== '' || record.length > 0) throw new Error('The last record has no CRLF');
  return records;
}
