import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository's root: Markdown files are named by their path from here. */
export const REPO_ROOT = join(__dirname, '..', '..');

/** A file of the repository, by its path from the root. */
export const readDoc = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');

/** Every `.md` file under a folder of the repository, as paths from the root. */
export function markdownFilesUnder(folder: string): string[] {
	return readdirSync(join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' })
		.filter((name) => name.endsWith('.md'))
		.map((name) => relative(REPO_ROOT, join(REPO_ROOT, folder, name)))
		.sort();
}

/** The cells of a table row, trimmed: `| a | b \| c |` → ['a', 'b | c']. */
export function tableCells(line: string): string[] {
	const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
	return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

const isTableLine = (line: string) => line.trim().startsWith('|');
const isSeparator = (line: string) => /^\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*$/.test(line.trim());

/**
 * The body rows of the one table in `file` whose header is exactly `header`, as cells. Throws when
 * there is no such table or more than one, and on a second separator row inside it, so a test
 * cannot pass on a table it did not find.
 */
export function readMarkdownTable(file: string, header: string[]): string[][] {
	const lines = readDoc(file).split('\n');
	const starts = lines
		.map((line, i) => (isTableLine(line) && isSeparator(lines[i + 1] ?? '') ? i : -1))
		.filter((i) => i >= 0 && tableCells(lines[i]).join('|') === header.join('|'));
	if (starts.length !== 1) {
		throw new Error(`${file}: ${starts.length} tables with the header | ${header.join(' | ')} |`);
	}
	const rows: string[][] = [];
	for (let i = starts[0] + 2; i < lines.length && isTableLine(lines[i]); i++) {
		if (isSeparator(lines[i])) throw new Error(`${file}:${i + 1}: a second separator row`);
		rows.push(tableCells(lines[i]));
	}
	return rows;
}

/** The text with fenced code blocks and inline code spans blanked (lines kept). */
export function withoutCode(text: string): string {
	return text
		.replace(/^[ \t]*(```+|~~~+)[^\n]*\n[\s\S]*?^[ \t]*\1[ \t]*$/gm, (block) =>
			block.replace(/[^\n]/g, ' '),
		)
		.replace(/`[^`\n]*`/g, (span) => ' '.repeat(span.length));
}

/** A heading's anchor as GitHub makes it: the text without markup, lower case, punctuation dropped. */
export function githubSlug(heading: string): string {
	const text = heading
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/[`*]/g, '')
		.replace(/(^|\s)_+|_+(?=\s|$)/g, '$1');
	return text
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
		.replace(/ /g, '-');
}

/** The anchors of a Markdown text's headings (outside code), a repeated one numbered as GitHub does. */
export function headingAnchors(text: string): Set<string> {
	const anchors = new Set<string>();
	const outsideCode = withoutCode(text).split('\n');
	text.split('\n').forEach((line, i) => {
		const match = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
		if (!match || !outsideCode[i].startsWith('#')) return;
		const base = githubSlug(match[1]);
		let anchor = base;
		for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
		anchors.add(anchor);
	});
	return anchors;
}

/** The targets of a Markdown text's links and images (inline, reference definitions, `<img src>`), outside code. */
export function linkTargets(text: string): string[] {
	const prose = withoutCode(text);
	const inline = [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)];
	const definitions = [...prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)];
	const images = [...prose.matchAll(/<img\b[^>]*\bsrc="([^"]+)"/g)];
	return [...inline, ...definitions, ...images].map((match) => match[1]);
}

/** Whether a link target stays inside the repository (no scheme, not protocol-relative). */
export const isRelativeLink = (target: string) =>
	!/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('//');
