// Free TCP ports on 127.0.0.1.
import { createServer } from 'node:net';

const handedOutPorts = new Set();

/** Listen on `port` (0: any) on 127.0.0.1 and close again: the port it got, or null when taken. */
const bind = (port) =>
	new Promise((resolve) => {
		const srv = createServer();
		srv.unref();
		srv.once('error', () => resolve(null));
		srv.listen(port, '127.0.0.1', () => {
			const bound = srv.address().port;
			srv.close(() => resolve(bound));
		});
	});

/** A free TCP port on 127.0.0.1 (not handed out twice by this process). */
export async function freePort() {
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = await bind(0);
		if (port && !handedOutPorts.has(port)) {
			handedOutPorts.add(port);
			return port;
		}
	}
	throw new Error('could not find a free port');
}

/** Is `port` free on 127.0.0.1? */
export const portIsFree = async (port) => (await bind(port)) !== null;
