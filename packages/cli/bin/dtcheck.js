#!/usr/bin/env node
import { useOwnTypeScriptApi } from "../dist/typescript-api.js";

// Before typescript-eslint loads: a project on TypeScript 7 has no JavaScript compiler API.
useOwnTypeScriptApi();
const { main } = await import("../dist/index.js");
process.exitCode = await main(process.argv);
