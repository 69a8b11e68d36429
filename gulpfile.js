// tsc compiles the sources; this copies what it does not: the icons and the codex files.
const { src, dest } = require('gulp');

function buildIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

function buildCodex() {
	return src(['nodes/**/*.node.json'], { base: '.' }).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
exports['build:codex'] = buildCodex;
exports.default = require('gulp').parallel(buildIcons, buildCodex);
