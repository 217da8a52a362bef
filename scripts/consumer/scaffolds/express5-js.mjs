// Express 5, plain JavaScript ESM: the README quick start, installed from the tarballs, and
// the token of the READMEs' local recipe (apps/authorization-server/dist/local-token.js).
import { expressJsScaffold } from '../express-app.mjs';

export default expressJsScaffold(5, { localRecipe: true });
