/** Plain-text tables for terminals: one header row, a rule, aligned columns. */
export function formatTable(columns: string[], rows: Array<Array<string | number | boolean | undefined>>): string {
    const cells = rows.map((row) => columns.map((_, i) => (row[i] === undefined ? '' : String(row[i]))));
    const widths = columns.map((header, i) => Math.max(header.length, ...cells.map((row) => row[i].length)));
    const line = (values: string[]) => values.map((value, i) => value.padEnd(widths[i])).join('  ').trimEnd();
    return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
