import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Jimeng } from '../../nodes/Jimeng/Jimeng.node';

const root = join(__dirname, '..', '..');
const codex = JSON.parse(
	readFileSync(join(root, 'nodes/Jimeng/Jimeng.node.json'), 'utf8'),
) as Record<string, unknown>;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string };
const nodeSource = readFileSync(join(root, 'nodes/Jimeng/Jimeng.node.ts'), 'utf8');
const { description } = new Jimeng();

/** The categories n8n documents for community nodes (docs: "Node codex files" → Node categories). */
const DOCUMENTED_CATEGORIES = (
	'Analytics, Communication, Data & Storage, Development, Finance & Accounting, ' +
	'Marketing & Content, Miscellaneous, Productivity, Sales, Utility'
).split(', ');

describe('codex (Jimeng.node.json), as n8n loads it and its community lint checks it', () => {
	test('names the node as the package registers it, at the node version', () => {
		expect(codex.node).toBe(`${pkg.name}.${description.name}`);
		expect(codex.nodeVersion).toBe(`${description.version}.0`);
		expect(codex.codexVersion).toBe('1.0');
	});

	test('uses only categories n8n documents for community nodes', () => {
		expect(Array.isArray(codex.categories)).toBe(true);
		expect((codex.categories as string[]).length).toBeGreaterThan(0);
		for (const category of codex.categories as string[])
			expect(DOCUMENTED_CATEGORIES).toContain(category);
	});

	// n8n's community lint in its source (not yet published): no-ai-codex-category, no-codex-subcategories.
	// Both exempt only nodes built with @n8n/ai-node-sdk; this one is not. 2.41's node panel leaves an
	// "AI" community node that is not a root node out of its search.
	test('has no "AI" category and no subcategories (no-ai-codex-category, no-codex-subcategories)', () => {
		expect(nodeSource).not.toContain('@n8n/ai-node-sdk');
		expect(codex.categories).not.toContain('AI');
		expect(codex).not.toHaveProperty('subcategories');
		expect(description).not.toHaveProperty('codex');
	});

	test('aliases cover what users type in the node panel', () => {
		const alias = (codex.alias as string[]).map((entry) => entry.toLowerCase());
		for (const word of ['seedream', 'volcengine', 'image', 'text to image'])
			expect(alias).toContain(word);
	});

	test('links the documentation of the node and of the credential', () => {
		const resources = codex.resources as Record<string, Array<{ url: string }>>;
		expect(resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
		expect(resources.credentialDocumentation[0].url).toMatch(/^https:\/\//);
	});
});
