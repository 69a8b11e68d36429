import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { Jimeng } from '../../nodes/Jimeng/Jimeng.node';
import { COMMON_ERROR_TABLES, ERROR_TABLE, PARAMETER_TABLES } from '../support/docTables';
import { readMarkdownTable } from '../support/markdown';

const properties = new Jimeng().description.properties;
const operationOptions = properties.find((p) => p.name === 'operation')!
	.options as INodePropertyOptions[];

/** The operations (as the editor names them) a property shows for, within its parent's. */
function operationsOf(property: INodeProperties, within = operationOptions) {
	const { show = {}, hide = {} } = property.displayOptions ?? {};
	const shown = (show.operation ?? show['/operation']) as unknown[] | undefined;
	const hidden = ((hide.operation ?? hide['/operation']) as unknown[] | undefined) ?? [];
	return within.filter((op) => (!shown || shown.includes(op.value)) && !hidden.includes(op.value));
}

/**
 * The rows a parameter table must have: each parameter the node shows (the options of a collection
 * as `Options → Name`), the operations it shows for, and the property (for its default).
 */
function expectedRows() {
	return properties
		.filter((p) => p.name !== 'operation' && p.type !== 'notice')
		.flatMap((p) => {
			const operations = operationsOf(p);
			if (p.type !== 'collection') return [{ name: p.displayName, operations, property: p }];
			return (p.options as INodeProperties[]).map((child) => ({
				name: `${p.displayName} → ${child.displayName}`,
				operations: operationsOf(child, operations),
				property: child,
			}));
		})
		.map((row) => ({ ...row, operations: row.operations.map((op) => op.name) }));
}

/** How the tables write a default: a number as is, a switch by its word, an option by its name. */
function defaultText(property: INodeProperties, words: { on: string; off: string }): string {
	const value = property.default;
	if (property.type === 'boolean') return value ? words.on : words.off;
	if (property.type === 'number') return String(value);
	if (property.type === 'options') {
		return (property.options as INodePropertyOptions[]).find((o) => o.value === value)!.name;
	}
	const empty =
		value === '' ||
		value === undefined ||
		(typeof value === 'object' && value !== null && Object.keys(value).length === 0);
	return empty ? '—' : `\`${String(value)}\``;
}

describe.each(PARAMETER_TABLES)('the parameter table of $file', (table) => {
	const expected = expectedRows();
	let rows: string[][] = [];
	beforeAll(() => {
		rows = readMarkdownTable(table.file, table.header);
	});

	test('lists every parameter the node shows, once, and nothing else', () => {
		expect(expected.length).toBeGreaterThan(20);
		expect(rows.map(([name]) => name).sort()).toEqual(expected.map((row) => row.name).sort());
	});

	test.each(expected)('$name: its operations and default', (row) => {
		const found = rows.find(([name]) => name === row.name);
		expect(found).toBeDefined();
		expect(found![1].split(', ').sort()).toEqual([...row.operations].sort());
		expect(found![table.header.indexOf(table.defaultColumn)]).toBe(
			defaultText(row.property, table),
		);
	});
});

describe.each(COMMON_ERROR_TABLES)('the common errors of $file', (table) => {
	test('are rows of the error table in docs/errors.md, named the same', () => {
		const all = new Set(readMarkdownTable(ERROR_TABLE.file, ERROR_TABLE.header).map(([c]) => c));
		const rows = readMarkdownTable(table.file, table.header);
		expect(rows.length).toBeGreaterThanOrEqual(5);
		expect(rows.map(([cell]) => cell).filter((cell) => !all.has(cell))).toEqual([]);
	});
});
