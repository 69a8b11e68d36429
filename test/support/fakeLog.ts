// What the fake gateway received during a test, by kind, for assertions on the node's requests.
import type { IDataObject } from 'n8n-workflow';

import type { FakeJimeng, FakeTask, LogEntry } from '../fake-jimeng';

const ofKind = (kind: LogEntry['kind']) => (fake: FakeJimeng) =>
	fake.log.filter((entry) => entry.kind === kind);
export const submits = ofKind('submit');
export const queries = ofKind('query');
export const imageRequests = ofKind('image');

export const bodyOf = (entry: LogEntry) => entry.body as IDataObject;

/** The one task the fake created in this test (fails if there is not exactly one). */
export function onlyTask(fake: FakeJimeng): FakeTask {
	const tasks = [...fake.tasks.values()];
	expect(tasks).toHaveLength(1);
	return tasks[0];
}
