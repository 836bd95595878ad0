import { EntityInstanceId, OrchestrationContext } from "@microsoft/durabletask-js";
import { publishViews } from "../../../../../fixtures/apps/durabletask/entity-counter/activities.js";

/** fixtures/apps/durabletask/entity-counter with the entity operation renamed from "get" to "read". */
export async function* countPageViews(ctx: OrchestrationContext, batch: { page: string; views: number }) {
  const counter = new EntityInstanceId("counter", batch.page);
  for (let i = 0; i < batch.views; i++) {
    ctx.entities.signalEntity(counter, "add", 1);
  }
  const total: number = yield ctx.entities.callEntity<number>(counter, "read");
  yield ctx.callActivity(publishViews, { page: batch.page, views: total });
  return total;
}
