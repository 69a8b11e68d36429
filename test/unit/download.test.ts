import {
	BodyMeter,
	DownloadProblem,
	formatBytes,
	notAnImage,
	overMaxSize,
} from '../../nodes/Jimeng/domain/download';
import { Deadline, watchDeadlines } from '../../nodes/Jimeng/runtime/deadline';
import { pngOf } from '../support/images';

const text = (value: string) => Buffer.from(value, 'utf8');

describe('notAnImage: the downloadError says what came instead', () => {
	test.each([
		[
			'<!DOCTYPE html><html><head><title>\n  Sign in – Example CDN\n</title>',
			'text/html; charset=utf-8',
			'an HTML page (text/html) titled "Sign in – Example CDN", not an image',
		],
		['<html><body>Forbidden</body></html>', 'text/html', 'an HTML page (text/html), not an image'],
		[
			'{"error":{"code":"SignatureDoesNotMatch",\n "message":"expired"}}',
			'application/json',
			'a JSON document (application/json), not an image: {"error":{"code":"SignatureDoesNotMatch", "message":"expired"}}',
		],
		['', 'image/png', 'an empty body (image/png), not an image'],
		['Access denied', undefined, 'text (no Content-Type), not an image: Access denied'],
		['GIF89a\u0001\u0000', 'image/gif', 'a GIF image (image/gif), not a PNG, JPEG or WebP image'],
	])('%j as %s', (body, contentType, what) => {
		const problem = notAnImage(text(body), contentType);
		expect(problem).toBeInstanceOf(DownloadProblem);
		expect(problem.message).toBe(`The image host sent ${what}`);
		expect(problem.retry).toBe(false);
	});

	test('binary data in no known format is named as such; a long text is cut to one line', () => {
		expect(notAnImage(Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), undefined).message).toBe(
			'The image host sent data in no image format the node knows (no Content-Type), not an image',
		);
		const long = notAnImage(text(`{"a":"${'x'.repeat(500)}"}`), 'application/json').message;
		expect(long).toMatch(/: \{"a":"x+…$/);
		expect(long.length).toBeLessThan(220);
	});
});

describe('BodyMeter: one body against Max Image Size, its end and its time', () => {
	test('sizes in messages: bytes below 1 MB, decimal MB from there', () => {
		expect(formatBytes(852)).toBe('852 bytes');
		expect(formatBytes(123_456)).toBe('123,456 bytes');
		expect(formatBytes(100_000_000)).toBe('100 MB');
		expect(formatBytes(6_357_025)).toBe('6.4 MB');
		expect(overMaxSize(250_000_000, 100_000_000).message).toBe(
			'The image is 250 MB (Content-Length), over Max Image Size (100 MB): not downloaded',
		);
	});

	test('a body may reach Max Image Size, not pass it; the first problem is kept', () => {
		const meter = new BodyMeter(1000);
		meter.add(Buffer.alloc(600));
		meter.add(Buffer.alloc(400));
		expect(() => meter.add(Buffer.alloc(1))).toThrow(
			'The image grew past Max Image Size (1,000 bytes) and was cut off there',
		);
		expect(meter.problem?.retry).toBe(false);
		meter.broke(new Error('later'));
		expect(meter.problem?.message).toMatch(/grew past/);
	});

	test('an image must end as its format says, however its chunks fell', () => {
		const png = pngOf(40, 30, 3000);
		const whole = new BodyMeter(1e6, png.length);
		for (let at = 0; at < png.length; at += 7) whole.add(png.subarray(at, at + 7));
		expect(() => whole.finish('image/png', png.subarray(0, 64))).not.toThrow();

		const cut = png.subarray(0, png.length - 100);
		const short = new BodyMeter(1e6, cut.length);
		short.add(cut);
		expect(() => short.finish('image/png', cut.subarray(0, 64))).toThrow(
			`the image is cut short: a PNG without its IEND chunk (all ${cut.length.toLocaleString('en-US')} bytes its Content-Length announced arrived)`,
		);
		expect(short.problem?.retry).toBe(true);

		const early = new BodyMeter(1e6, png.length);
		early.add(png.subarray(0, 100));
		expect(() => early.finish('image/png', png.subarray(0, 64))).toThrow(
			`the body ended after 100 bytes of ${png.length.toLocaleString('en-US')} bytes`,
		);
	});

	test('out of time: nothing yet, a stall, or a body still arriving', () => {
		const now = Date.now();
		expect(new BodyMeter(1e6).outOfTime('Request Timeout (5 s)', 5000, now).message).toBe(
			'the image host sent no image data within Request Timeout (5 s)',
		);
		const stalled = new BodyMeter(1e8, 852);
		stalled.add(Buffer.alloc(424));
		expect(stalled.outOfTime('Request Timeout (5 s)', 5000, now + 4600).message).toBe(
			'the image host stopped sending after 424 bytes of 852 bytes: nothing for the last 4.6 s of Request Timeout (5 s)',
		);
		const arriving = new BodyMeter(1e8);
		arriving.add(Buffer.alloc(6_400_000));
		expect(arriving.outOfTime('Request Timeout (5 s)', 5000, now + 50).message).toBe(
			'the image was still arriving when Request Timeout (5 s) ran out (6.4 MB received)',
		);
		// A short limit: half of it without data is a stall.
		expect(stalled.outOfTime('Request Timeout (0.5 s)', 500, now + 300).message).toMatch(
			/^the image host stopped sending/,
		);
	});
});

describe('Deadline: time limits that stand still while held', () => {
	test('holding stops the clock; resuming adds the time held', async () => {
		const deadline = new Deadline(Date.now() + 1000);
		const resume = deadline.hold();
		expect(deadline.remainingMs).toBe(Infinity);
		await new Promise((resolve) => setTimeout(resolve, 300));
		resume();
		resume(); // a second call changes nothing
		expect(deadline.remainingMs).toBeGreaterThan(900);
		expect(deadline.remainingMs).toBeLessThanOrEqual(1000);
	});

	test('a watch reports the first deadline to pass, within its tick of 250 ms', async () => {
		const started = Date.now();
		const late = new Deadline(started + 5000);
		const soon = new Deadline(started + 300);
		let expired: Deadline | undefined;
		await watchDeadlines([late, soon], (d) => (expired = d), new AbortController().signal);
		expect(expired).toBe(soon);
		expect(Date.now() - started).toBeGreaterThanOrEqual(300);
		expect(Date.now() - started).toBeLessThan(700);
	});

	test('a watch that is stopped reports nothing', async () => {
		const stop = new AbortController();
		let expired = false;
		const deadline = new Deadline(Date.now() + 300);
		const watching = watchDeadlines([deadline], () => (expired = true), stop.signal);
		stop.abort();
		await watching;
		expect(expired).toBe(false);
	});
});
