// NestJS 11 scaffold (`npx @nestjs/cli@11 new`: CommonJS, Jest 30 + ts-jest): the README
// quick start added, `npm run build`, served by node dist/main, and the scaffold's own
// `npm run test:e2e` passing with the Jest configuration the README documents.
import { nestScaffold } from '../nest-app.mjs';

export default nestScaffold({ name: 'nest11', cli: '@nestjs/cli@11', esm: false });
