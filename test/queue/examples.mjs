// Every example, webhook-triggered, through the webhook process: it runs on a worker (the worker's
// log says so) and its outputs read back through main are right.
import { binaryModeOf, imageProblem, jimengNodes, nodeItems } from './outputs.mjs';

/** Expected error items per example (Continue On Fail turns the empty prompt into one). */
const ERROR_ITEMS = { 'continue-on-fail': 1 };

export async function runExamples({ cluster, fake, variants, check, label, binaryMode }) {
	fake.reset();
	const posted = await Promise.all(variants.map((v) => cluster.post(v.path, { run: label })));
	check(
		`${label}: the webhook process accepted all ${variants.length} example webhooks`,
		posted.every((p) => p.status === 200),
		posted.map((p) => p.status).join(','),
	);
	const taskPrompts = new Map();
	for (const v of variants) {
		const [summary] = await cluster.waitForExecutions({
			workflowId: v.workflow.id,
			count: 1,
			timeoutMs: 120_000,
		});
		const ex = await cluster.main.getExecution(summary.id);
		const workers = cluster.workerOf(summary.id);
		check(
			`${label} ${v.slug}: status success`,
			ex.status === 'success',
			`${ex.status}${ex.data?.resultData?.error ? `: ${ex.data.resultData.error.message}` : ''}`,
		);
		check(
			`${label} ${v.slug}: ran on one worker (its log: "Worker started execution ${summary.id}")`,
			workers.length === 1,
			workers.join(', ') || 'no worker log',
		);
		const items = jimengNodes(v.workflow).flatMap((node) =>
			nodeItems(ex, node).map((item) => ({ node, item })),
		);
		const images = items.filter(({ item }) => item.binary?.data);
		const errors = items.filter(({ item }) => item.json?.error);
		const taskIds = new Set(images.map(({ item }) => item.json.taskId));
		const wantImages = [...taskIds].reduce((n, id) => n + (fake.tasks.get(id)?.imageCount ?? 0), 0);
		check(
			`${label} ${v.slug}: ${wantImages} image item(s), one per image the fake made`,
			images.length === wantImages && wantImages > 0,
			`${images.length} image items, ${taskIds.size} task(s)`,
		);
		const problems = [];
		for (const { item } of images) {
			const p = await imageProblem(cluster.main, fake, item);
			if (p) problems.push(p);
		}
		check(
			`${label} ${v.slug}: image bytes from main's /rest/binary-data equal the fake's, mime image/png`,
			problems.length === 0,
			problems.slice(0, 2).join('; '),
		);
		const modes = [...new Set(images.map(({ item }) => binaryModeOf(item)))];
		const wantMode = binaryMode === 'filesystem' ? 'filesystem-v2' : binaryMode;
		check(
			`${label} ${v.slug}: binaries stored in ${wantMode} mode`,
			modes.length === 1 && modes[0] === wantMode,
			modes.join(','),
		);
		const wantErrors = ERROR_ITEMS[v.slug] ?? 0;
		check(
			`${label} ${v.slug}: ${wantErrors} error item(s), each paired with its input`,
			errors.length === wantErrors &&
				errors.every(
					({ item }) => item.pairedItem !== undefined && typeof item.json.error === 'string',
				),
			errors.map(({ item }) => item.json.error).join('; '),
		);
		for (const id of taskIds) taskPrompts.set(id, fake.tasks.get(id)?.prompt);
		// Submit without waiting: the first node's item is the task the Get Task node then fetched.
		if (v.slug === 'submit-then-get-task') {
			const [submitted] = nodeItems(ex, 'Jimeng Submit');
			const [got] = nodeItems(ex, 'Jimeng Get Task');
			check(
				`${label} ${v.slug}: Get Task fetched the task Submit returned`,
				submitted?.json?.status === 'submitted' && got?.json?.taskId === submitted?.json?.taskId,
				`${submitted?.json?.status} ${submitted?.json?.taskId}`,
			);
		}
	}
	const stats = fake.stats();
	const perPrompt = new Map();
	for (const prompt of taskPrompts.values())
		perPrompt.set(prompt, (perPrompt.get(prompt) ?? 0) + 1);
	const billedTwice = Object.entries(stats.submitsPerPrompt).filter(
		([p, n]) => n !== (perPrompt.get(p) ?? 0),
	);
	check(
		`${label}: one submit per prompt (${stats.submits} submits, ${taskPrompts.size} tasks in the outputs)`,
		billedTwice.length === 0 && stats.submits === taskPrompts.size,
		billedTwice.map(([p, n]) => `${n}× "${p}"`).join('; '),
	);
	check(`${label}: the fake saw no protocol problem`, stats.problems === 0, `${stats.problems}`);
}
