// A tiny HTTP server on 127.0.0.1: a place where nothing serves the Jimeng format (a web server's
// 404 page, another API's JSON), or the smoke test's probe API. Started and stopped by the test
// that needs it.
import { createServer } from 'node:http';

/**
 * Answer every request with `{ status, body }` (an object body is sent as JSON), or with what
 * `answer(req)` returns: { url, requests, close }.
 */
export async function startLoopbackServer(answer) {
	const handle = { requests: 0 };
	const server = createServer((req, res) => {
		handle.requests++;
		req.resume();
		req.on('end', () => {
			const { status, body } = typeof answer === 'function' ? answer(req) : answer;
			const json = typeof body !== 'string';
			const payload = json ? JSON.stringify(body) : body;
			const type = json ? 'application/json' : 'text/html';
			res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(payload) });
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
