// Proves the harness runs; real benchmarks sit beside it as <area>.bench.mjs.
console.log("bench harness ok");
