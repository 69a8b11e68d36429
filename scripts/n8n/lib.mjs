// Drive real n8n installs (made by scripts/n8n/install.sh) from tests, demos and benchmarks.
// Node built-ins only. This file is the barrel: every name lives in the module of its job.
// How to use it and which module does what: scripts/n8n/README.md.
export { BASE_ENV, CACHE_DIR, NODE24_BIN, REPO_ROOT } from './env.mjs';
export { n8nLine, n8nLines } from './lines.mjs';
export { freePort, portIsFree } from './ports.mjs';
export { buildAndPackRepo, packPackage } from './pack.mjs';
export { createInstance } from './instance/index.mjs';
