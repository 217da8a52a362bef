export {
  GLEWLWYD_INSTALL_HINT,
  GLEWLWYD_PATHS,
  glewlwydAvailability,
  type GlewlwydAvailability,
} from './availability.js';
export { GlewlwydAdmin, GlewlwydAdminError } from './admin-api.js';
export {
  GlewlwydStartError,
  startGlewlwyd,
  type GlewlwydClient,
  type GlewlwydOptions,
  type RunningGlewlwyd,
} from './start-glewlwyd.js';
export { GlewlwydLoginError, glewlwydLogin } from './login.js';
