export const packageName = "@dtcheck/replay-tester";
export * from "./history/model.js";
export { InputError, isInputError } from "./errors.js";
export * from "./history/index.js";
