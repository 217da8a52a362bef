// Express 4, plain JavaScript ESM: the README quick start, installed from the tarballs.
import { expressJsScaffold } from '../express-app.mjs';

export default expressJsScaffold(4);
