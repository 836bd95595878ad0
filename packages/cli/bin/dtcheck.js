#!/usr/bin/env node
import module from "node:module";
import { useOwnTypeScriptApi } from "../dist/typescript-api.js";

// Node 22.1+ keeps compiled code of dtcheck, TypeScript and typescript-eslint on disk between runs,
// as tsc and eslint do (NODE_DISABLE_COMPILE_CACHE=1 turns it off); older Node has no such call.
module.enableCompileCache?.();

// The commands that run user code do it in a thread, which boots while this one loads the CLI.
if (["replay", "fuzz", "drift", "record"].includes(process.argv[2] ?? "") && !process.argv.includes("--help") && !process.argv.includes("-h")) {
  (await import("@dtcheck/replay-tester/thread")).prewarmContainedThread();
}

// Before typescript-eslint loads: a project on TypeScript 7 has no JavaScript compiler API.
useOwnTypeScriptApi();
const { main } = await import("../dist/index.js");
process.exitCode = await main(process.argv);
