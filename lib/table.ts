/**
 * Plain-text tables for terminals, the one formatter of every command (npm start, simulate, bench):
 * columns aligned under a header and a rule, a column of numbers right-aligned, absent cells blank.
 */
export function formatTable(columns: string[], rows: Array<Array<string | number | boolean | undefined>>): string {
  const cells = rows.map((row) => columns.map((_, i) => (row[i] === undefined ? '' : String(row[i]))));
  const widths = columns.map((header, i) => Math.max(header.length, ...cells.map((row) => row[i].length)));
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number'));
  const line = (values: string[]) =>
    values
      .map((value, i) => (numeric[i] ? value.padStart(widths[i]) : value.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}
