// Package entry, compiled to dist/index.js. n8n itself loads the classes named in package.json's `n8n` block.
const { Jimeng } = require('./nodes/Jimeng/Jimeng.node');
const { JimengApi } = require('./credentials/JimengApi.credentials');

module.exports = { Jimeng, JimengApi };
