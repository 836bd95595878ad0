// The raw-executor baselines run durabletask-js as shipped. Once dtcheck has loaded an SDK copy it
// keeps the answers of the SDK's enum key search (engines/durabletask/sdk.ts), and the bench's raw
// executor is that same copy (one require cache): `asShipped` puts the SDK's own search back while
// a baseline is timed. Call `sdkAsShipped` before dtcheck loads the SDK.
import { createRequire } from "node:module";

export function sdkAsShipped(sdkRoot) {
  const helpers = createRequire(`${sdkRoot}/index.js`)(`${sdkRoot}/utils/enum.util.js`);
  const shipped = helpers.enumValueToKey;
  return async function asShipped(fn) {
    const dtcheckVersion = helpers.enumValueToKey;
    helpers.enumValueToKey = shipped;
    try {
      return await fn();
    } finally {
      helpers.enumValueToKey = dtcheckVersion;
    }
  };
}
