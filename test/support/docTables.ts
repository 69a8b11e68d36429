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

/** The errors a user meets most, in each README: rows of ERROR_TABLE, first cell for first cell. */
export const COMMON_ERROR_TABLES: DocTable[] = [
	{ file: 'README.md', header: ['Message or code', 'What to do'] },
	{ file: 'README.zh-CN.md', header: ['报错信息或代码', '怎么办'] },
];

const ENGLISH = { defaultColumn: 'Default', on: 'on', off: 'off' };

/**
 * Every parameter: its name first, then its operations ("Submit, Get Task"), and a column with its
 * default; `on`/`off`: how the table writes a switch's default.
 */
export const PARAMETER_TABLES: Array<DocTable & typeof ENGLISH> = [
	{ file: 'README.md', header: ['Parameter', 'Operations', 'Default', 'What it does'], ...ENGLISH },
	{
		file: 'README.zh-CN.md',
		header: ['参数', '适用操作', '默认值', '说明'],
		defaultColumn: '默认值',
		on: '开启',
		off: '关闭',
	},
	{
		file: 'docs/parameters.md',
		header: ['Parameter', 'Operations', 'Body field', 'Default', 'Notes'],
		...ENGLISH,
	},
];
