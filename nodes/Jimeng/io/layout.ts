import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { errorDetails } from '../domain/errors';
import type { TaskState } from '../domain/types';
import type { ItemContext, FinishedTask } from './output';
import { buildPendingItem, buildSubmittedItem, buildSuccessItems, buildToolItem } from './output';

/** What one task of an item ended as. */
export type TaskOutcome =
	| { kind: 'done'; result: FinishedTask }
	| { kind: 'submitted'; taskId: string; requestId?: string }
	| { kind: 'pending'; taskId: string; state: TaskState };

/**
 * The imageIndex of each task's first image, in task order. A task that failed or did not finish
 * yet keeps its place (one image: Number of Images tasks are single-image tasks), so the numbers of
 * the other images do not depend on which tasks failed.
 */
export function firstImageIndexes(outcomes: Array<TaskOutcome | undefined>): number[] {
	let next = 1;
	return outcomes.map((outcome) => {
		const first = next;
		next += outcome?.kind === 'done' ? Math.max(1, outcome.result.images.length) : 1;
		return first;
	});
}

function single(item: ItemContext, outcome: TaskOutcome, asTool: boolean): INodeExecutionData[] {
	if (outcome.kind === 'submitted')
		return [buildSubmittedItem(item, outcome.taskId, outcome.requestId)];
	if (outcome.kind === 'pending') return [buildPendingItem(item, outcome.taskId, outcome.state)];
	return asTool ? [buildToolItem(item, outcome.result)] : buildSuccessItems(item, outcome.result);
}

/** A task's fields replaced by the item's: every task ID instead of one, no single request ID. */
function withTaskIds(json: IDataObject, taskIds: string[]): IDataObject {
	const rest = { ...json };
	delete rest.taskId;
	delete rest.requestId;
	return { taskIds, ...rest };
}

/** The finished tasks of one item, as one set of images numbered across the tasks. */
function manyDone(
	item: ItemContext,
	results: FinishedTask[],
	asTool: boolean,
): INodeExecutionData[] {
	const images = results.flatMap((result) => result.images);
	const taskIds = results.map((result) => result.taskId);
	// The item's view: taskIds, imageCount and imageUrls over all its tasks.
	const merged: FinishedTask = {
		...results[0],
		elapsedMs: Math.max(...results.map((result) => result.elapsedMs)),
		images,
	};
	if (asTool) {
		const tool = buildToolItem(item, merged);
		return [{ ...tool, json: withTaskIds(tool.json, taskIds) }];
	}
	if (item.output.mode === 'task') {
		return buildSuccessItems(item, merged).map((out) => ({
			...out,
			json: withTaskIds(out.json, taskIds),
		}));
	}
	const itemFields = { imageCount: images.length, imageUrls: images.map((image) => image.url) };
	return results.flatMap((result) =>
		buildSuccessItems(item, result).map((out) => ({
			...out,
			json: { ...out.json, ...itemFields },
		})),
	);
}

/**
 * An item's output from its tasks, in task order (`undefined`: a task that failed under Continue On
 * Fail). One task: the layouts of io/output.ts. Several (Number of Images): images numbered 1…N
 * across the tasks, each with its own taskId; One Item per Task and the tool answer merge them.
 */
export function buildItemOutput(
	item: ItemContext,
	outcomes: Array<TaskOutcome | undefined>,
	asTool: boolean,
): INodeExecutionData[] {
	if (outcomes.length === 1) return outcomes[0] ? single(item, outcomes[0], asTool) : [];
	const firsts = firstImageIndexes(outcomes);
	const out: INodeExecutionData[] = [];
	const done: FinishedTask[] = [];
	for (const [k, outcome] of outcomes.entries()) {
		if (!outcome) continue;
		if (outcome.kind === 'done') {
			const { result } = outcome;
			done.push({
				...result,
				images: result.images.map((image, p) => ({ ...image, index: firsts[k] + p })),
			});
			continue;
		}
		const [first] = single(item, outcome, asTool);
		out.push({ ...first, json: { ...first.json, imageIndex: firsts[k] } });
	}
	if (done.length) out.push(...manyDone(item, done, asTool));
	return out;
}

/**
 * The one Continue On Fail item of an input item some of whose tasks failed: which (imageIndex,
 * taskId when one was created, message, code), beside the images that did arrive.
 */
export function buildFailedTasksItem(
	itemIndex: number,
	outcomes: Array<TaskOutcome | undefined>,
	failures: Array<{ index: number; error: Error }>,
): INodeExecutionData {
	const firsts = firstImageIndexes(outcomes);
	const failedTasks = failures.map(({ index, error }) => ({
		imageIndex: firsts[index],
		message: error.message,
		...errorDetails(error),
	}));
	const [first] = failures;
	const count = outcomes.length;
	const arrived = count - failures.length;
	const which = failedTasks.map((task) => task.imageIndex).join(', ');
	const firstDescription = (first.error as { description?: string | null }).description ?? '';
	const json: IDataObject = {
		error: `${failures.length} of ${count} images failed (imageIndex ${which}): ${first.error.message}`,
		description: [
			arrived ? `The other ${arrived} image(s) are in this node's output.` : '',
			firstDescription,
		]
			.filter(Boolean)
			.join(' '),
		failedTasks,
	};
	return { json, pairedItem: { item: itemIndex } };
}
