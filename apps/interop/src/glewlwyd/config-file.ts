/** The libconfig text of a loopback-only Glewlwyd with a sqlite database in `stateDir`. */
export function glewlwydConfigFile(options: {
  readonly port: number;
  readonly stateDir: string;
  readonly modules: string;
}): string {
  const { port, stateDir, modules } = options;
  // No `use_secure_connection` line at all: its mere presence makes Glewlwyd look for a
  // certificate and exit.
  return `port=${port}
bind_address="127.0.0.1"
external_url="http://127.0.0.1:${port}"
login_url="login.html"
api_prefix="api"
allow_origin="*"
log_mode="file"
log_level="INFO"
log_file="${stateDir}/glewlwyd.log"
cookie_secure=0
cookie_same_site="empty"
session_expiration=3600
session_key="GLEWLWYD2_SESSION_ID"
admin_session_authentication="cookie,api_key"
profile_session_authentication="cookie"
allow_multiple_user_per_session=true
login_api_enabled=true
plugin_api_run_enabled=""
max_post_size=1048576
admin_scope="g_admin"
profile_scope="g_profile"
user_module_path="${modules}/user"
client_module_path="${modules}/client"
user_auth_scheme_module_path="${modules}/scheme"
plugin_module_path="${modules}/plugin"
hash_algorithm="SHA512"
database = { type = "sqlite3"; path = "${stateDir}/glewlwyd.db"; };
`;
}
