export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  /** Longer cells are cut with an ellipsis so one row stays one line. */
  maxWidth?: number;
  align?: 'left' | 'right';
}

/** A plain-text table: a header row, then one line per row, columns separated by two spaces. */
export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const cells = rows.map((row) =>
    columns.map((column) => truncate(oneLine(column.value(row)), column.maxWidth)),
  );
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((row) => row[index]?.length ?? 0)),
  );
  const renderRow = (values: readonly string[]) =>
    values
      .map((value, index) => {
        const width = widths[index] ?? 0;
        return columns[index]?.align === 'right' ? value.padStart(width) : value.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [renderRow(columns.map((column) => column.header)), ...cells.map(renderRow)].join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

function truncate(text: string, maxWidth: number | undefined): string {
  if (maxWidth === undefined || text.length <= maxWidth) return text;
  return `${text.slice(0, Math.max(0, maxWidth - 1)).trimEnd()}…`;
}
