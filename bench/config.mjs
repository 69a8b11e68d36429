// The benchmark's fixed figures, and the node's limits as read from the installed package.
export const LATENCY_MS = 5000;
export const POLL_S = 3; // the node's default Poll Interval, and the core workflow's Wait
export const EARLIER_DEFAULT = 5; // Max Concurrent Tasks' default before commit 0d7e74f, for comparison
export const GATEWAY_LIMIT = 10;
export const BIG_IMAGE_BYTES = 25 * 1024 * 1024;
export const MEMORY_IMAGES = 20;
export const RUN_TIMEOUT_MS = 15 * 60_000;

/**
 * The node's Max Concurrent Tasks default and maximum. run.mjs sets them from the package installed
 * in n8n (installedNodeSettings) before planning, so the runs and the explanations follow the node.
 */
export const nodeLimits = { defaultConcurrency: 5, cap: 50 };

/** The fake's options for the benchmark's two gateways: unlimited, and one allowing 10 tasks at once. */
const gateway = (maxActiveTasks, activeUntil) => ({
	maxActiveTasks,
	activeUntil,
	imageBytes: null,
	imageContentType: true,
});
export const UNLIMITED_GATEWAY = gateway(null, 'observed');
export const GATEWAY_10 = gateway(GATEWAY_LIMIT, 'generated');
