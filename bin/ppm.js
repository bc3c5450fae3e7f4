#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('ppm: the project is not built; run `npm run build` (npm ci builds it too)\n');
  process.exit(2);
}
// A reader that stops early (`ppm report ... | head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
require(entry)
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
