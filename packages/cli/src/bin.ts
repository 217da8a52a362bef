#!/usr/bin/env node
import { main } from './main.js';

// Nothing here runs a shell: URLs from metadata are only ever fetched and printed.
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
