/**
 * Every default and limit, in one place: the node's properties show them, the validation enforces
 * them, and the credential test and transport use them. Sources: the API's documented ranges
 * (Volcengine's Jimeng 4.0 doc, https://www.volcengine.com/docs/85621/1817045, and the gateway's
 * copy, https://doc.deepwl.cn/en/images/jimeng/official-generation) and BENCHMARKS.md (the measured
 * defaults).
 */

/** Defaults of the node's parameters and options (seconds where the UI shows seconds). */
export const DEFAULTS = {
	waitForCompletion: true,
	pollIntervalSeconds: 3,
	timeoutSeconds: 600,
	forceSingle: true,
	/** Number of Images: single-image tasks per input item */
	numberOfImages: 1,
	/**
	 * As many tasks at once as a core-node workflow would send (HTTP Request fires every item
	 * together): the gateway's own limit is learned from its 50430 answers (runtime/slots.ts), and
	 * concurrency costs nothing extra (billing is per image).
	 */
	maxConcurrency: 200,
	maxRetries: 3,
	requestTimeoutSeconds: 60,
	/**
	 * Max Image Size, in MB (10^6 bytes, as n8n shows file sizes). The largest image Jimeng can
	 * return is 4096 × 4096 (the largest area; the 4K presets up to 6198 × 2656 are smaller): as an
	 * 8-bit RGBA PNG of incompressible pixels that is 67.2 MB (raw 4 × 4096² + a filter byte per row
	 * = 67,112,960 bytes; zlib level 9 on random bytes: 67,133,451; with 8 KiB IDAT chunks 67,231,848),
	 * and real 4K results are far smaller. 100 MB is 1.5 × that worst case and well below what n8n
	 * itself accepts as one file (a webhook upload: 200 MiB, N8N_FORMDATA_FILE_SIZE_MAX; database
	 * binary mode: 512 MiB), so one runaway body costs an instance at most 100 MB of disk, or of
	 * memory in the default (in-memory) binary mode.
	 */
	maxImageSizeMb: 100,
	binaryProperty: 'data',
	outputMode: 'image',
	downloadImages: true,
	scale: 0.5,
	minRatio: 0.3333,
	maxRatio: 3,
	watermarkOpacity: 1,
	extraBody: '{}',
	/** runtime/pollSchedule.ts; BENCHMARKS.md "Polling" for what each mode costs and gains */
	polling: 'adaptive',
	/**
	 * Lifetime asked for the links of uploaded reference binaries: the longest the gateway allows,
	 * since the task may wait in the gateway's queue before it fetches its references.
	 */
	referenceLinkLifetimeSeconds: 3600,
} as const;

/** Ranges the API documents, and the node's own bounds. */
export const LIMITS = {
	/** URL and binary references together. */
	maxReferenceImages: 10,
	/** Number of Images: the most the API returns for one request, here as single-image tasks. */
	numberOfImages: { min: 1, max: 15 },
	/** The Jimeng 4.0 input rules, checked on every reference binary before anything is sent. */
	referenceImage: {
		/** "15 MB", read the strict way (15,000,000 bytes): the doc does not say MB or MiB, and a file the API might refuse is refused before anything is sent. */
		maxBytes: 15_000_000,
		/** "at most 4096 × 4096", read as each side at most 4096 pixels. */
		maxSide: 4096,
		minRatio: 1 / 3,
		maxRatio: 3,
	},
	/** The gateway's range for upload link lifetimes (it defaults to 900 s itself). */
	referenceLinkLifetimeSeconds: { min: 60, max: 3600 },
	/** The API says longer prompts may misbehave: a hint, not a refusal. */
	promptSoftLength: 800,
	minArea: 1024 * 1024,
	maxArea: 4096 * 4096,
	/** width/height of any size the API draws, unless Min/Max Ratio narrow it. */
	minSizeRatio: 1 / 3,
	maxSizeRatio: 3,
	/** Range of the min_ratio / max_ratio options. */
	ratioOption: { min: 1 / 16, max: 16 },
	scale: { min: 0, max: 1 },
	opacity: { min: 0, max: 1 },
	maxConcurrency: { min: 1, max: 1000 },
	maxRetries: { min: 0, max: 10 },
	pollIntervalSeconds: { min: 1 },
	timeoutSeconds: { min: 1 },
	requestTimeoutSeconds: { min: 1 },
	maxImageSizeMb: { min: 1 },
	/**
	 * Bytes of result images streaming at once per execution. Node's http client leaves about two
	 * bytes of garbage buffers per byte received, freed only when V8's external-memory GC runs (past
	 * ~64 MB), so peak memory follows the download rate: in `npm run bench` 20 × 25 MiB images raised
	 * n8n's peak by +132…+150 MB all at once, +102…+130 MB at 2 at a time (this budget), +85…+93 MB
	 * at 1 (budget 32 MiB; download phase 4.0–10.4 s against 3.2–5.9 s). Small images pass freely.
	 */
	downloadBudgetBytes: 64 * 1024 * 1024,
	/** The weight of an image whose host sends no Content-Length: a large 4K PNG. */
	unknownImageBytes: 16 * 1024 * 1024,
	/**
	 * A result image up to this size is read whole before it is stored, larger ones are peeked at and
	 * then streamed. Whole, a body that fails (cut off, out of time, no image) never reaches the
	 * binary store: n8n before 2.x's byte store (2.4.x, 1.x) writes a stream straight to its final
	 * file and keeps what arrived when the stream fails, and no helper lets a node delete it.
	 * Within the download budget above, so the bytes held at once stay bounded.
	 */
	wholeBodyBytes: 4 * 1024 * 1024,
} as const;
