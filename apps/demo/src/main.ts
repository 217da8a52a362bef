#!/usr/bin/env node
import { runCli } from './cli.js';

// `prmkit demo` entry: Ctrl-C (or SIGTERM) aborts the flow, which closes every server
// before exiting; a second Ctrl-C leaves at once.
const controller = new AbortController();
let interrupted = false;
const interrupt = (): void => {
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort();
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);
// A closed pipe (`prmkit demo | head`) is not a crash: stop and clean up.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  controller.abort();
});

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
// Servers are closed by now; exit explicitly so a lingering keep-alive socket cannot hold us.
process.exit(interrupted ? 130 : code);
