// A tiny HTTP server on 127.0.0.1 that answers every request the same way: a place where nothing
// serves the Jimeng format (a web server's 404 page, another API's JSON). Started and stopped by
// the test that needs it.
import { createServer } from 'node:http';

/** Answer every request with `status` and `body` (an object is sent as JSON): { url, requests, close }. */
export async function startLoopbackServer({ status, body }) {
	const json = typeof body !== 'string';
	const payload = json ? JSON.stringify(body) : body;
	const handle = { url: '', requests: 0, close: async () => {} };
	const server = createServer((req, res) => {
		handle.requests++;
		req.resume();
		req.on('end', () => {
			res.writeHead(status, {
				'content-type': json ? 'application/json' : 'text/html',
				'content-length': Buffer.byteLength(payload),
			});
			res.end(payload);
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	handle.url = `http://127.0.0.1:${server.address().port}`;
	handle.close = () =>
		new Promise((resolve) => {
			server.closeAllConnections?.();
			server.close(() => resolve());
		});
	return handle;
}

/** What a web server with no /jm route answers (nginx's 404 page). */
export const NOT_FOUND_HTML =
	'<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
