// What the fake gateway received during a test, by kind, for assertions on the node's requests.
import type { IDataObject } from 'n8n-workflow';

import type { FakeJimeng, FakeTask, LogEntry } from '../fake-jimeng';

export function submits(fake: FakeJimeng): LogEntry[] {
	return fake.log.filter((entry) => entry.kind === 'submit');
}

export function queries(fake: FakeJimeng): LogEntry[] {
	return fake.log.filter((entry) => entry.kind === 'query');
}

export function imageRequests(fake: FakeJimeng): LogEntry[] {
	return fake.log.filter((entry) => entry.kind === 'image');
}

export function bodyOf(entry: LogEntry): IDataObject {
	return entry.body as IDataObject;
}

/** The one task the fake created in this test (fails if there is not exactly one). */
export function onlyTask(fake: FakeJimeng): FakeTask {
	const tasks = [...fake.tasks.values()];
	expect(tasks).toHaveLength(1);
	return tasks[0];
}
