// The running service and the account the SDK tests use, from the environment the Java *IT sets.
export function serviceEnvironment() {
  const baseUrl = process.env.OPENTRACKERS_BASE_URL;
  const appId = process.env.OPENTRACKERS_APP_ID;
  const appSecret = process.env.OPENTRACKERS_APP_SECRET;
  if (!baseUrl || !appId || !appSecret) {
    console.error('OPENTRACKERS_BASE_URL, OPENTRACKERS_APP_ID and OPENTRACKERS_APP_SECRET must be set');
    process.exit(2);
  }
  return { baseUrl, appId, appSecret };
}
