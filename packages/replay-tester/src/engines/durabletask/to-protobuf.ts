import type { FailureDetails, HistoryEvent, OrchestrationStatus } from "../../history/model.js";
import { InputError } from "../../errors.js";
import type { DurableTaskSdk, Untyped } from "./sdk.js";
import { FixedCaseClasses } from "./fixed-case.js";
import { leanEventBuilder } from "./lean-events.js";

/** Maps canonical statuses to the SDK's OrchestrationStatus enum values. */
export function toPbStatus(sdk: DurableTaskSdk, status: OrchestrationStatus): number {
  const s = sdk.pb.OrchestrationStatus;
  switch (status) {
    case "running":
      return s.ORCHESTRATION_STATUS_RUNNING;
    case "completed":
      return s.ORCHESTRATION_STATUS_COMPLETED;
    case "continuedAsNew":
      return s.ORCHESTRATION_STATUS_CONTINUED_AS_NEW;
    case "failed":
      return s.ORCHESTRATION_STATUS_FAILED;
    case "canceled":
      return s.ORCHESTRATION_STATUS_CANCELED;
    case "terminated":
      return s.ORCHESTRATION_STATUS_TERMINATED;
    case "pending":
      return s.ORCHESTRATION_STATUS_PENDING;
    case "suspended":
      return s.ORCHESTRATION_STATUS_SUSPENDED;
  }
}

export function fromPbStatus(sdk: DurableTaskSdk, value: number): OrchestrationStatus {
  const s = sdk.pb.OrchestrationStatus;
  switch (value) {
    case s.ORCHESTRATION_STATUS_COMPLETED:
      return "completed";
    case s.ORCHESTRATION_STATUS_CONTINUED_AS_NEW:
      return "continuedAsNew";
    case s.ORCHESTRATION_STATUS_FAILED:
      return "failed";
    case s.ORCHESTRATION_STATUS_CANCELED:
      return "canceled";
    case s.ORCHESTRATION_STATUS_TERMINATED:
      return "terminated";
    case s.ORCHESTRATION_STATUS_PENDING:
      return "pending";
    case s.ORCHESTRATION_STATUS_SUSPENDED:
      return "suspended";
    default:
      return "running";
  }
}

/** The generated setter of a proto field: requestId → setRequestid, entityOperationCalled → setEntityoperationcalled. */
function protoSetter(field: string): string {
  return "set" + field.charAt(0).toUpperCase() + field.slice(1).toLowerCase();
}

/**
 * Converts canonical events into the SDK's protobuf HistoryEvent objects, using the generated
 * classes of the user's SDK copy (a class from another copy would fail its instanceof checks).
 */
export class ProtobufConverter {
  private readonly pb: Untyped;
  private readonly Timestamp: Untyped;
  private readonly StringValue: Untyped;
  private readonly lean: ((event: HistoryEvent) => Untyped | undefined) | undefined;
  private readonly fixed: FixedCaseClasses;

  constructor(private readonly sdk: DurableTaskSdk) {
    // The generated module object has thousands of properties (dictionary mode, slow lookups):
    // copy the classes used per event into a small object once.
    const fast: Record<string, unknown> = {};
    for (const name of Object.keys(sdk.pb)) {
      if (/Event$|^HistoryEvent$|^TaskFailureDetails$|^OrchestrationInstance$|^ParentInstanceInfo$/.test(name)) fast[name] = sdk.pb[name];
    }
    this.pb = fast;
    this.fixed = new FixedCaseClasses(sdk.pb.HistoryEvent);
    this.lean = leanEventBuilder(sdk, this.fixed);
    this.Timestamp = sdk.Timestamp;
    this.StringValue = sdk.StringValue;
  }

  private str(value: string | undefined): Untyped {
    if (value === undefined || value === "") return undefined;
    const v = new this.StringValue();
    v.setValue(value);
    return v;
  }

  /** The last timestamp parsed: every event of an episode carries the same one. */
  private lastIso: string | undefined;
  private lastMs = NaN;

  timestamp(iso: string | undefined): Untyped {
    const ts = new this.Timestamp();
    if (iso === undefined) return ts;
    if (iso !== this.lastIso) {
      this.lastIso = iso;
      this.lastMs = Date.parse(iso);
    }
    const ms = this.lastMs;
    if (Number.isNaN(ms)) return ts;
    const seconds = Math.floor(ms / 1000);
    ts.setSeconds(seconds);
    ts.setNanos((ms - seconds * 1000) * 1_000_000);
    return ts;
  }

  failure(details: FailureDetails | undefined): Untyped {
    if (!details) return undefined;
    const f = new this.pb.TaskFailureDetails();
    f.setErrortype(details.errorType);
    f.setErrormessage(details.errorMessage);
    if (details.stackTrace !== undefined) f.setStacktrace(this.str(details.stackTrace));
    if (details.innerFailure) f.setInnerfailure(this.failure(details.innerFailure));
    if (details.isNonRetriable !== undefined) f.setIsnonretriable(details.isNonRetriable);
    return f;
  }

  private instance(instanceId: string, executionId?: string): Untyped {
    const inst = new this.pb.OrchestrationInstance();
    inst.setInstanceid(instanceId);
    if (executionId) inst.setExecutionid(this.str(executionId));
    return inst;
  }

  private need(className: string, kind: string): Untyped {
    const Ctor = this.pb[className];
    if (!Ctor) {
      throw new InputError(
        `${this.sdk.packageName}@${this.sdk.version} has no ${className}, so it cannot replay "${kind}" events; upgrade the SDK or remove those events`,
      );
    }
    return Ctor;
  }

  /** Conversions of events that later invocations replay again (see convertReused). */
  private readonly reused = new WeakMap<HistoryEvent, Untyped>();

  /**
   * The lean conversion of an old event, kept for as long as the canonical event lives. Simulations
   * and perturbed replays run one executor invocation per episode over the same growing list of
   * events; converting each only once turns their cost from quadratic to linear in the episodes.
   * Safe because the executor only reads the events it is given.
   */
  convertReused(event: HistoryEvent): Untyped {
    let converted = this.reused.get(event);
    if (converted === undefined) {
      converted = this.convert(event, false);
      this.reused.set(event, converted);
    }
    return converted;
  }

  /**
   * The conversion an earlier invocation kept for this event, else a fresh lean one that is not
   * kept: a one-off replay of a history that was just generated (or of a prefix of it, as the drift
   * check replays) converts nothing again, and one of a saved history holds no extra memory.
   */
  convertOld(event: HistoryEvent): Untyped {
    return this.reused.get(event) ?? this.convert(event, false);
  }

  /**
   * A new event (complete: the executor reads every field it needs as it processes it), kept when
   * later invocations will replay it as an old event: it then serves as its old conversion too,
   * since the executor reads a subset of those fields.
   */
  convertNew(event: HistoryEvent, keep: boolean): Untyped {
    const converted = this.convert(event, true);
    if (keep) this.reused.set(event, converted);
    return converted;
  }

  /**
   * @param complete also set what the executor never reads during replay: timestamps of events
   *   other than orchestratorStarted (its currentUtcDateTime) and the inputs of scheduling events
   *   (it checks their kind and name only; dtcheck's strict mode compares inputs itself). Replay of
   *   old events passes false to save allocations; new events and simulations pass true.
   */
  convert(event: HistoryEvent, complete = true): Untyped {
    const withTimestamp = complete;
    if (!complete && this.lean) {
      const built = this.lean(event);
      if (built) return built;
    }
    const pb = this.pb;
    const Fixed = this.fixed.get(event.kind);
    const e = Fixed ? new Fixed() : new pb.HistoryEvent();
    e.setEventid(event.eventId);
    if (withTimestamp || event.kind === "orchestratorStarted") e.setTimestamp(this.timestamp(event.timestamp));
    switch (event.kind) {
      case "orchestratorStarted":
        e.setOrchestratorstarted(new pb.OrchestratorStartedEvent());
        break;
      case "orchestratorCompleted":
        e.setOrchestratorcompleted(new pb.OrchestratorCompletedEvent());
        break;
      case "executionStarted": {
        const s = new pb.ExecutionStartedEvent();
        s.setName(event.name);
        s.setInput(this.str(event.input));
        s.setVersion(this.str(event.version));
        s.setOrchestrationinstance(this.instance(event.instanceId ?? "", event.executionId));
        if (event.parentInstance) {
          const p = new pb.ParentInstanceInfo();
          p.setName(this.str(event.parentInstance.name));
          p.setOrchestrationinstance(this.instance(event.parentInstance.instanceId));
          if (event.parentInstance.taskScheduledId !== undefined) p.setTaskscheduledid(event.parentInstance.taskScheduledId);
          s.setParentinstance(p);
        }
        if (event.scheduledStartTimestamp) s.setScheduledstarttimestamp(this.timestamp(event.scheduledStartTimestamp));
        if (event.tags && typeof s.getTagsMap === "function") {
          const map = s.getTagsMap();
          for (const [k, v] of Object.entries(event.tags)) map.set(k, v);
        }
        e.setExecutionstarted(s);
        break;
      }
      case "executionCompleted": {
        const c = new pb.ExecutionCompletedEvent();
        c.setOrchestrationstatus(toPbStatus(this.sdk, event.status));
        c.setResult(this.str(event.result));
        if (event.failure) c.setFailuredetails(this.failure(event.failure));
        e.setExecutioncompleted(c);
        break;
      }
      case "executionTerminated": {
        const t = new pb.ExecutionTerminatedEvent();
        t.setInput(this.str(event.input));
        if (event.recurse !== undefined) t.setRecurse(event.recurse);
        e.setExecutionterminated(t);
        break;
      }
      case "executionSuspended": {
        const s = new pb.ExecutionSuspendedEvent();
        s.setInput(this.str(event.input));
        e.setExecutionsuspended(s);
        break;
      }
      case "executionResumed": {
        const r = new pb.ExecutionResumedEvent();
        r.setInput(this.str(event.input));
        e.setExecutionresumed(r);
        break;
      }
      case "continueAsNew": {
        const c = new pb.ContinueAsNewEvent();
        c.setInput(this.str(event.input));
        e.setContinueasnew(c);
        break;
      }
      case "taskScheduled": {
        const t = new pb.TaskScheduledEvent();
        t.setName(event.name);
        if (complete) t.setInput(this.str(event.input));
        if (event.version) t.setVersion(this.str(event.version));
        e.setTaskscheduled(t);
        break;
      }
      case "taskCompleted": {
        const t = new pb.TaskCompletedEvent();
        t.setTaskscheduledid(event.taskScheduledId);
        t.setResult(this.str(event.result));
        e.setTaskcompleted(t);
        break;
      }
      case "taskFailed": {
        const t = new pb.TaskFailedEvent();
        t.setTaskscheduledid(event.taskScheduledId);
        t.setFailuredetails(this.failure(event.failure));
        e.setTaskfailed(t);
        break;
      }
      case "subOrchestrationInstanceCreated": {
        const s = new pb.SubOrchestrationInstanceCreatedEvent();
        s.setName(event.name);
        s.setInstanceid(event.instanceId);
        if (complete) s.setInput(this.str(event.input));
        if (event.version) s.setVersion(this.str(event.version));
        e.setSuborchestrationinstancecreated(s);
        break;
      }
      case "subOrchestrationInstanceCompleted": {
        const s = new pb.SubOrchestrationInstanceCompletedEvent();
        s.setTaskscheduledid(event.taskScheduledId);
        s.setResult(this.str(event.result));
        e.setSuborchestrationinstancecompleted(s);
        break;
      }
      case "subOrchestrationInstanceFailed": {
        const s = new pb.SubOrchestrationInstanceFailedEvent();
        s.setTaskscheduledid(event.taskScheduledId);
        s.setFailuredetails(this.failure(event.failure));
        e.setSuborchestrationinstancefailed(s);
        break;
      }
      case "timerCreated": {
        const t = new pb.TimerCreatedEvent();
        t.setFireat(this.timestamp(event.fireAt));
        e.setTimercreated(t);
        break;
      }
      case "timerFired": {
        const t = new pb.TimerFiredEvent();
        t.setTimerid(event.timerId);
        t.setFireat(this.timestamp(event.fireAt));
        e.setTimerfired(t);
        break;
      }
      case "eventSent": {
        const s = new pb.EventSentEvent();
        s.setInstanceid(event.instanceId);
        s.setName(event.name);
        s.setInput(this.str(event.input));
        e.setEventsent(s);
        break;
      }
      case "eventRaised": {
        const r = new pb.EventRaisedEvent();
        r.setName(event.name);
        r.setInput(this.str(event.input));
        e.setEventraised(r);
        break;
      }
      case "genericEvent": {
        const g = new pb.GenericEvent();
        g.setData(this.str(event.data));
        e.setGenericevent(g);
        break;
      }
      case "historyState":
        e.setHistorystate(new pb.HistoryStateEvent());
        break;
      case "executionRewound": {
        const r = new (this.need("ExecutionRewoundEvent", event.kind))();
        r.setReason(this.str(event.reason));
        e.setExecutionrewound(r);
        break;
      }
      case "entityOperationSignaled":
      case "entityOperationCalled":
      case "entityOperationCompleted":
      case "entityOperationFailed":
      case "entityLockRequested":
      case "entityLockGranted":
      case "entityUnlockSent": {
        const className = event.kind.charAt(0).toUpperCase() + event.kind.slice(1) + "Event";
        const inner = new (this.need(className, event.kind))();
        this.fillEntity(inner, event.payload);
        e[protoSetter(event.kind)](inner);
        break;
      }
    }
    if (!Fixed) this.fixed.learn(event.kind, e);
    return e;
  }

  /** Entity payloads are proto3 JSON; set the fields the executor reads. */
  private fillEntity(inner: Untyped, payload: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(payload)) {
      const setter = protoSetter(key);
      if (typeof inner[setter] !== "function") continue;
      if (key === "lockSet") {
        inner.setLocksetList(Array.isArray(value) ? value.map(String) : []);
      } else if (key === "failureDetails") {
        inner.setFailuredetails(this.failure(value as FailureDetails));
      } else if (key === "scheduledTime") {
        inner.setScheduledtime(this.timestamp(String(value)));
      } else if (key === "requestId" || key === "operation" || key === "criticalSectionId") {
        inner[setter](String(value));
      } else if (key === "position") {
        inner[setter](Number(value));
      } else if (typeof value === "string") {
        inner[setter](this.str(value));
      }
    }
  }
}
