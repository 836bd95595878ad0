import * as df from "durable-functions";

/** fixtures/apps/durable-functions/entity-counter's orchestration with the entity operation renamed from "get" to "read". */
df.app.orchestration("countPageViews", function* (context) {
  const batch = context.df.getInput<{ page: string; views: number }>();
  const counter = new df.EntityId("counter", batch.page);
  for (let i = 0; i < batch.views; i++) {
    context.df.signalEntity(counter, "add", 1);
  }
  const total: number = yield context.df.callEntity(counter, "read");
  yield context.df.callActivity("publishViews", { page: batch.page, views: total });
  return total;
});
