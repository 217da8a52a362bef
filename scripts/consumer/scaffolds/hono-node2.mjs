// Hono 4 on @hono/node-server 2.x, TypeScript (ESM, nodenext): the README quick start, and
// the published types refusing c.get('auth').subject on an unprotected route.
import { honoScaffold } from '../hono-app.mjs';

export default honoScaffold(2, { checkTyping: true });
