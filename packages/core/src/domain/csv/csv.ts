/** A cell value: text is neutralised and quoted as needed; numbers and booleans print as they are; null and undefined are empty. */
export type CsvValue = string | number | boolean | null | undefined;

/** First characters that make a spreadsheet read a cell as a formula (or hide one behind white space). */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * Defuses spreadsheet formula injection (OWASP "CSV injection"): text starting with
 * `= + - @`, a tab or a carriage return gets a leading `'`, which spreadsheets show as text.
 * The cell's content changes visibly, which is the accepted price for safety.
 */
export function neutraliseCsvFormula(text: string): string {
  return FORMULA_TRIGGERS.has(text.charAt(0)) ? `'${text}` : text;
}

/** RFC 4180 quoting: a field with a comma, double quote, CR or LF is quoted, its quotes doubled. */
export function quoteCsvField(text: string): string {
  return /[",\r\n]/u.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One cell as it goes into the file. Text is neutralised then quoted; numbers are not
 * neutralised (a number cannot carry a formula, and `-0.5` should stay a number); a
 * non-finite number is empty.
 */
export function formatCsvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return quoteCsvField(neutraliseCsvFormula(value));
}

/**
 * A whole CSV document per RFC 4180: a header row, then one record per row, every record
 * (the last included) ended by CRLF. Header names are formatted like any cell.
 */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvValue[]>): string {
  return [header, ...rows].map((row) => `${row.map(formatCsvField).join(',')}\r\n`).join('');
}
