#!/usr/bin/env node
// Entry point of the `sitewatch` command (built by `npm run build` / `npm ci`).
require('../dist/src/cli/main.js').main();
