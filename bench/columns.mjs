/** A table from columns [header, (row) → cell]: the header row, then one row per entry of `list`. */
export const columnsTable = (columns, list) => [
	columns.map(([head]) => head),
	...list.map((x) => columns.map(([, cell]) => cell(x))),
];
