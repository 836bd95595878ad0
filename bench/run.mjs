// Benchmarks are added by the plugin, replay and fuzz issues; each prints ratios measured in one run.
console.log("dtcheck bench: no benchmarks registered yet");
