// Free TCP ports on 127.0.0.1.
import { createServer } from 'node:net';

const handedOutPorts = new Set();

/** A free TCP port on 127.0.0.1 (not handed out twice by this process). */
export async function freePort() {
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = await new Promise((resolve, reject) => {
			const srv = createServer();
			srv.unref();
			srv.on('error', reject);
			srv.listen(0, '127.0.0.1', () => {
				const { port } = srv.address();
				srv.close(() => resolve(port));
			});
		});
		if (!handedOutPorts.has(port)) {
			handedOutPorts.add(port);
			return port;
		}
	}
	throw new Error('could not find a free port');
}

/** Is `port` free on 127.0.0.1? */
export async function portIsFree(port) {
	return await new Promise((resolve) => {
		const srv = createServer();
		srv.unref();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}
