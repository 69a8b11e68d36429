/**
 * Where the docs keep the tables the tests read, and their headers: a header changes here and in the
 * file together. readMarkdownTable (markdown.ts) finds each by its header.
 */
export interface DocTable {
	file: string;
	header: string[];
}

/** Every error the node names: docs/errors.md. */
export const ERROR_TABLE: DocTable = {
	file: 'docs/errors.md',
	header: ['Message or code', 'Meaning', 'What to do'],
};
