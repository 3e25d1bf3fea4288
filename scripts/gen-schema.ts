/**
 * Writes docs/day-record.schema.json from the zod schema, so users and other tools can validate
 * archive files. A test keeps the committed file equal to what this prints.
 */
import { writeFileSync } from "node:fs";
import * as z from "zod";
import { DayRecordSchema } from "../src/model/day-record.js";

export function dayRecordJsonSchema(): string {
  const schema = z.toJSONSchema(DayRecordSchema, { io: "input", target: "draft-2020-12" });
  return `${JSON.stringify({ title: "arxiv-digest DayRecord", ...schema }, null, 2)}\n`;
}

if (process.argv[1]?.endsWith("gen-schema.ts")) {
  writeFileSync(new URL("../docs/day-record.schema.json", import.meta.url), dayRecordJsonSchema());
  console.log("wrote docs/day-record.schema.json");
}
