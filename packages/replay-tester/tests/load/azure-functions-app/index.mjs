// A Durable Functions app with an HTTP starter: registering it makes @azure/functions (with no host) warn.
import { app } from "@azure/functions";
import * as df from "durable-functions";

df.app.orchestration("greetAll", function* (context) {
  return yield context.df.callActivity("greet", context.df.getInput());
});

app.http("startGreetAll", { route: "greet", extraInputs: [df.input.durableClient()], handler: async () => ({ status: 202 }) });

// The user's own warnings must still reach the console.
console.warn("user warning: greetAll loaded");
