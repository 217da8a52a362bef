#!/usr/bin/env node
import { runCli } from './cli.js';

// `prmkit demo` entry: Ctrl-C aborts the flow, which closes every server before exiting.
const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130); // second Ctrl-C: leave now
  interrupted = true;
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
