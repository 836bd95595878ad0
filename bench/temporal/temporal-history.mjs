// A Temporal history of bench/temporal/chain/temporal-workflows.mjs's `chain`, built by hand in
// the proto3 JSON that `temporal workflow show --output json` writes: Temporal's test server cannot
// start offline, so no history can be recorded here. Each activity takes one workflow task, as a
// real worker completes them: ActivityTaskScheduled, Started, Completed, then WorkflowTask
// Scheduled, Started, Completed.

const JSON_PLAIN = Buffer.from("json/plain").toString("base64");
const payloads = (value) => ({ payloads: [{ metadata: { encoding: JSON_PLAIN }, data: Buffer.from(JSON.stringify(value)).toString("base64") }] });

/**
 * The history of one run. `activityName` is what the history says each activity was called (the
 * code calls "step"): anything else is a history the code cannot have written. The first workflow
 * task carries the SDK flags a current worker writes; without flag 1 Temporal's core does not
 * compare activity types on replay at all.
 */
export function chainHistory(workflowId, { activityName = "step", steps = 10 } = {}) {
  const events = [];
  const time = (n) => new Date(Date.UTC(2024, 0, 1, 0, 0, n)).toISOString();
  const add = (eventType, attributes, value) => {
    const eventId = events.length + 1;
    events.push({ eventId: String(eventId), eventTime: time(eventId), eventType: `EVENT_TYPE_${eventType}`, taskId: String(1048576 + eventId), [attributes]: value });
    return eventId;
  };
  const workflowTask = (flags) => {
    const scheduled = add("WORKFLOW_TASK_SCHEDULED", "workflowTaskScheduledEventAttributes", { taskQueue: { name: "bench", kind: "TASK_QUEUE_KIND_NORMAL" }, startToCloseTimeout: "10s", attempt: 1 });
    const started = add("WORKFLOW_TASK_STARTED", "workflowTaskStartedEventAttributes", { scheduledEventId: String(scheduled), identity: "bench", requestId: `request-${scheduled}` });
    return add("WORKFLOW_TASK_COMPLETED", "workflowTaskCompletedEventAttributes", {
      scheduledEventId: String(scheduled),
      startedEventId: String(started),
      identity: "bench",
      ...(flags ? { sdkMetadata: { coreUsedFlags: [1, 2], langUsedFlags: [1] } } : {}),
    });
  };
  add("WORKFLOW_EXECUTION_STARTED", "workflowExecutionStartedEventAttributes", {
    workflowType: { name: "chain" },
    taskQueue: { name: "bench", kind: "TASK_QUEUE_KIND_NORMAL" },
    input: payloads("order"),
    workflowExecutionTimeout: "0s",
    workflowRunTimeout: "0s",
    workflowTaskTimeout: "10s",
    originalExecutionRunId: `run-${workflowId}`,
    firstExecutionRunId: `run-${workflowId}`,
    identity: "bench",
    attempt: 1,
    firstWorkflowTaskBackoff: "0s",
  });
  let completed = workflowTask(true);
  let value = "order";
  for (let i = 1; i <= steps; i++) {
    const scheduled = add("ACTIVITY_TASK_SCHEDULED", "activityTaskScheduledEventAttributes", {
      activityId: String(i),
      activityType: { name: activityName },
      taskQueue: { name: "bench", kind: "TASK_QUEUE_KIND_NORMAL" },
      input: payloads(value),
      scheduleToCloseTimeout: "0s",
      scheduleToStartTimeout: "0s",
      startToCloseTimeout: "10s",
      heartbeatTimeout: "0s",
      workflowTaskCompletedEventId: String(completed),
      retryPolicy: { initialInterval: "1s", backoffCoefficient: 2, maximumInterval: "100s" },
    });
    const started = add("ACTIVITY_TASK_STARTED", "activityTaskStartedEventAttributes", { scheduledEventId: String(scheduled), identity: "bench", requestId: `activity-${i}`, attempt: 1 });
    value = `${value}+${i}`;
    add("ACTIVITY_TASK_COMPLETED", "activityTaskCompletedEventAttributes", { result: payloads(value), scheduledEventId: String(scheduled), startedEventId: String(started), identity: "bench" });
    completed = workflowTask(false);
  }
  add("WORKFLOW_EXECUTION_COMPLETED", "workflowExecutionCompletedEventAttributes", { result: payloads(value), workflowTaskCompletedEventId: String(completed) });
  return { events };
}
