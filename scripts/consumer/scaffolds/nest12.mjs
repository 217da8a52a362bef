// NestJS 12 scaffold (today's `npx @nestjs/cli new`: ESM, vitest, TypeScript 6), installed
// with plain npm and no --legacy-peer-deps: the README quick start added, `npm run build`,
// served by node, and the scaffold's own `npm run test:e2e` (vitest) passing.
import { nestScaffold } from '../nest-app.mjs';

export default nestScaffold({
  name: 'nest12',
  cli: '@nestjs/cli@latest',
  esm: true,
  newFlags: ['--no-observe'],
});
