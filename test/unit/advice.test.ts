import { API_MESSAGES } from '../fake-jimeng';
import {
	adviceForCode,
	adviceForFailedTask,
	MAPPED_CODES,
	meansTaskNotFound,
} from '../../nodes/Jimeng/domain/advice';
import { MEANINGS } from '../../nodes/Jimeng/domain/gatewayMeanings';
import { ERROR_TABLE } from '../support/docTables';
import { readMarkdownTable } from '../support/markdown';

const NOT_FOUND = /task ID is unknown to the gateway, or older than about 12 hours/;
const MODERATION = /moderation|copyright/i;
const DOCUMENTED_MODERATION = [
	50411, 50412, 50413, 50511, 50512, 50518, 50519, 50520, 50521, 50522,
];
const NAMED_MEANINGS = 'balance exhaustedKey key noChannel permission rateLimit taskNotFound';

const errorTableFirstCells = () =>
	readMarkdownTable(ERROR_TABLE.file, ERROR_TABLE.header).map(([cell]) => cell);

describe('advice by meaning (domain/advice)', () => {
	test('code 50404 means the task is unknown or too old, not moderation', () => {
		expect(adviceForCode(50404, 'task not found')).toMatch(NOT_FOUND);
		expect(adviceForCode(50404, 'task not found')).not.toMatch(MODERATION);
	});

	test.each([
		[{ status: 'not_found' }, true],
		[{ status: 'failed', message: 'task not found' }, true],
		[{ code: 50404 }, true],
		[{ code: 50999, message: 'Task ID does not exist' }, true],
		[{ code: 40001, message: '任务不存在' }, true],
		[{ status: 'failed', message: 'Post Img Risk Not Pass' }, false],
		[{ code: 50412 }, false],
		[{ status: 'expired' }, false],
	])('%j is read as task-not-found: %s', (answer, notFound) => {
		expect(meansTaskNotFound(answer)).toBe(notFound);
	});

	test.each([50405, 50499, 50550, 50599, 60001])(
		'an unknown code %i gets neutral advice quoting the API',
		(code) => {
			const advice = adviceForCode(code, 'Something odd happened');
			expect(advice).toContain(`code ${code}`);
			expect(advice).toContain('"Something odd happened"');
			expect(advice).not.toMatch(MODERATION);
		},
	);

	test('moderation advice is given for the documented moderation codes only', () => {
		for (const code of DOCUMENTED_MODERATION)
			expect(adviceForCode(code, API_MESSAGES[code])).toMatch(MODERATION);
		for (const code of MAPPED_CODES.filter((c) => !DOCUMENTED_MODERATION.includes(c)))
			expect(adviceForCode(code, API_MESSAGES[code])).not.toMatch(MODERATION);
	});

	test('a failed task whose message says it does not exist gets the not-found advice', () => {
		expect(adviceForFailedTask('failed', 'task not found')).toMatch(NOT_FOUND);
		expect(adviceForFailedTask('not_found')).toMatch(NOT_FOUND);
		expect(adviceForFailedTask('failed', 'Post Img Risk Not Pass')).toMatch(/API's reason/);
	});

	test('the error table (docs/errors.md) lists every code the node maps', () => {
		const listed = new Set<number>();
		const codeOrRange = /\b(5\d{4})(?:[–-](5\d{4}))?\b/g;
		for (const [, first, last] of errorTableFirstCells().join('\n').matchAll(codeOrRange)) {
			for (let code = Number(first); code <= Number(last ?? first); code++) listed.add(code);
		}
		expect(MAPPED_CODES.filter((code) => !listed.has(code))).toEqual([]);
	});

	test('the error table (docs/errors.md) has a row for each meaning of a gateway answer the node names (the key, its quota, the balance, a permission, the rate limit, no channel, an unknown task)', () => {
		const firstCells = errorTableFirstCells();
		const named = Object.entries(MEANINGS).filter(([, rule]) => rule.phrase);
		expect(named.map(([meaning]) => meaning).sort()).toEqual(NAMED_MEANINGS.split(' '));
		const missing = named.filter(
			([, rule]) => !firstCells.some((cell) => cell.includes(rule.phrase!)),
		);
		expect(missing.map(([meaning]) => meaning)).toEqual([]);
	});
});
