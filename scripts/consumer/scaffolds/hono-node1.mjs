// Hono 4 on @hono/node-server 1.x, TypeScript (ESM, nodenext): the README quick start.
import { honoScaffold } from '../hono-app.mjs';

export default honoScaffold(1);
