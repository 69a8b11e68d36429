import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

import {
	headingAnchors,
	isRelativeLink,
	linkTargets,
	markdownFilesUnder,
	readDoc,
	REPO_ROOT,
} from '../support/markdown';

const READMES = ['README.md', 'README.zh-CN.md'];
/** The documentation a reader follows links through. */
const DOCS = [...READMES, 'BENCHMARKS.md', 'CHANGELOG.md', ...markdownFilesUnder('docs')];

/** Why a relative link of `file` does not lead anywhere, or null when it resolves. */
function brokenReason(file: string, target: string): string | null {
	const [pathPart, anchor] = target.split('#', 2);
	const path = pathPart ? normalize(join(dirname(file), decodeURI(pathPart))) : file;
	if (path.startsWith('..')) return 'leaves the repository';
	if (!existsSync(join(REPO_ROOT, path))) return `no file ${path}`;
	if (anchor === undefined) return null;
	if (statSync(join(REPO_ROOT, path)).isDirectory() || !path.endsWith('.md')) {
		return `an anchor into ${path}, which is not a Markdown file`;
	}
	return headingAnchors(readDoc(path)).has(anchor) ? null : `no heading #${anchor} in ${path}`;
}

describe('links in the docs', () => {
	test('the docs/ pages are found, and the READMEs link to each of them', () => {
		const pages = markdownFilesUnder('docs');
		expect(pages.length).toBeGreaterThanOrEqual(8);
		for (const readme of READMES) {
			const targets = linkTargets(readDoc(readme)).map((target) => target.split('#')[0]);
			expect(pages.filter((page) => !targets.includes(page))).toEqual([]);
		}
	});

	test.each(DOCS)('%s: every relative link and image leads to a file (and heading)', (file) => {
		const links = linkTargets(readDoc(file)).filter(isRelativeLink);
		const broken = links.map((target) => ({ target, reason: brokenReason(file, target) }));
		expect(broken.filter(({ reason }) => reason)).toEqual([]);
	});

	test('both READMEs offer the other language at the top', () => {
		const top = (file: string) => readDoc(file).split('\n').slice(0, 4).join('\n');
		expect(linkTargets(top('README.md'))).toContain('README.zh-CN.md');
		expect(linkTargets(top('README.zh-CN.md'))).toContain('README.md');
	});
});

describe('the Markdown reading the link check relies on', () => {
	test('GitHub anchors: markup and punctuation dropped, repeats numbered, code blocks skipped', () => {
		const text = [
			'# Queue mode (`npm run bench:queue`)',
			'## Finding the node: _Marketing & Content_',
			'## 常见报错（Common errors）',
			'## Output',
			'## Output',
			'```bash',
			'# not a heading',
			'```',
		].join('\n');
		expect([...headingAnchors(text)]).toEqual([
			'queue-mode-npm-run-benchqueue',
			'finding-the-node-marketing--content',
			'常见报错common-errors',
			'output',
			'output-1',
		]);
	});

	test('links and images are found outside code only', () => {
		const text =
			'[a](docs/a.md) ![b](b.png "B") `[c](c.md)`\n```\n[d](d.md)\n```\n[e]: e.md\n<img src="f.png">';
		expect(linkTargets(text).sort()).toEqual(['b.png', 'docs/a.md', 'e.md', 'f.png']);
	});
});
