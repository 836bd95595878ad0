// fixtures/apps/durabletask/entity-counter's orchestrator with the entity call renamed from "get" to "count".
import { EntityInstanceId } from "@microsoft/durabletask-js";

export async function* countPageViews(ctx, batch) {
  const counter = new EntityInstanceId("counter", batch.page);
  for (let i = 0; i < batch.views; i++) ctx.entities.signalEntity(counter, "add", 1);
  const total = yield ctx.entities.callEntity(counter, "count");
  yield ctx.callActivity("publishViews", { page: batch.page, views: total });
  return total;
}
