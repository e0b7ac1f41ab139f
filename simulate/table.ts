/** Columns aligned under a header and a rule; numbers right-aligned. */
export function formatTable(columns: string[], rows: Array<Array<string | number>>): string {
  const cells = rows.map((row) => columns.map((_, i) => String(row[i] ?? '')));
  const widths = columns.map((header, i) => Math.max(header.length, ...cells.map((row) => row[i].length)));
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number'));
  const line = (values: string[]) =>
    values.map((value, i) => (numeric[i] ? value.padStart(widths[i]) : value.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(columns), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}
