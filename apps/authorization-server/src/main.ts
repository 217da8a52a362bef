#!/usr/bin/env node
import { optionsFromEnv } from './env.js';
import { AuthorizationServerConfigError } from './options.js';
import { startAuthorizationServer } from './start-authorization-server.js';

// Command-line entry: configuration from the environment (see README), logs to stdout.
try {
  const options = optionsFromEnv(process.env);
  const server = await startAuthorizationServer(options);
  console.log(`authorization server listening on ${server.url}`);
  console.log(`  issuer    ${server.issuer}`);
  console.log(`  metadata  ${server.metadataUrl}`);
  console.log(
    `  mode      ${options.autoApprove ? 'auto-approve (no login page)' : 'interactive (demo users alice/alice, bob/bob)'}`,
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => process.exit(0));
    // Bounded: never hang on shutdown.
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  if (error instanceof AuthorizationServerConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  const code = (error as { code?: unknown }).code;
  if (code === 'EADDRINUSE') {
    console.error(
      `authorization server: port ${process.env.PORT ?? '9000'} is in use; set PORT to another port (0 picks a free one)`,
    );
    process.exit(1);
  }
  console.error('authorization server failed to start:', error);
  process.exit(1);
}
