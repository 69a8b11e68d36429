// Drive real n8n installs (made by scripts/n8n/install.sh) from tests, demos and benchmarks.
// Node built-ins only. This file is the barrel: every name lives in the module of its job.
//
//   import { n8nLines, createInstance, packPackage } from './scripts/n8n/lib.mjs';
//   const tgz = await packPackage();                       // npm pack of the repo
//   const n8n = await createInstance({ version: '2.41.1', packageTarball: tgz });
//   await n8n.importCredentials([...]); await n8n.importWorkflows([...]);
//   const { code, json } = await n8n.execute('wf1');
//   await n8n.start(); await n8n.setupOwner(); const r = await n8n.rest('GET', '/types/nodes.json');
//   await n8n.dispose();
//
// env.mjs        paths (repo, cache, Node 24) and the environment every n8n process gets
// lines.mjs      the installed n8n lines
// processes.mjs  process groups, the exit hooks and the reaper that kill them
// ports.mjs      free ports on 127.0.0.1
// pack.mjs       build + npm pack the repo, extract a tarball
// instance/      createInstance: user folder, CLI, server, REST
export { BASE_ENV, CACHE_DIR, ENCRYPTION_KEY, NODE24_BIN, REPO_ROOT } from './env.mjs';
export { n8nLine, n8nLines } from './lines.mjs';
export { freePort, portIsFree } from './ports.mjs';
export { buildAndPackRepo, packPackage } from './pack.mjs';
export { createInstance } from './instance/index.mjs';
