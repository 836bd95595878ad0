import type { History, HistoryFormat } from "../model.js";

/**
 * One history format: recognises a parsed JSON value as its own, reads it into the canonical model
 * and writes the model back out as a JSON value (an array of events or a wrapper object).
 */
export interface HistoryCodec {
  readonly format: HistoryFormat;
  /** A one-line description for messages ("which formats are accepted"). */
  readonly description: string;
  /** Whether write then parse gives back the same model. */
  readonly lossless: boolean;
  detect(value: unknown): boolean;
  parse(value: unknown, file?: string): History;
  write(history: History): unknown;
}
