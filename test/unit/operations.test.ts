import type { INodeProperties } from 'n8n-workflow';

import { OPERATIONS } from '../../nodes/Jimeng/actions/operations';
import { Jimeng } from '../../nodes/Jimeng/Jimeng.node';

const description = new Jimeng().description;

/** The subtitle as n8n evaluates it: the expression between ={{ and }}, with $parameter given. */
function subtitleFor(operation: string): unknown {
	const source = /^=\{\{(.*)\}\}$/s.exec(String(description.subtitle))![1];
	return new Function('$parameter', `return (${source});`)({ operation });
}

describe('the operation list', () => {
	test.each(OPERATIONS.map((op) => [op.option.value, op.option.name]))(
		'the subtitle of %s is its name, %s',
		(value, name) => {
			expect(subtitleFor(String(value))).toBe(name);
		},
	);

	test('every parameter but Operation shows only for the operations it names', () => {
		const values = OPERATIONS.map((op) => op.option.value);
		const shown = (p: INodeProperties) =>
			p.displayOptions?.show?.operation as unknown[] | undefined;
		for (const property of description.properties.filter((p) => p.name !== 'operation')) {
			expect(shown(property)).toBeDefined();
			for (const value of shown(property)!) expect(values).toContain(value);
		}
	});

	test("an operation's own parameters show for it alone", () => {
		for (const op of OPERATIONS)
			for (const property of op.properties)
				expect(property.displayOptions?.show?.operation).toEqual([op.option.value]);
	});
});
