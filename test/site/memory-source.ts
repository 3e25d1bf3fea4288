import type { DayRecord } from "../../src/model/day-record.js";
import type { DaySource } from "../../src/site/build.js";

/** A DaySource over records held in memory; `reads` lists every readDay call, in order. */
export function memorySource(days: Iterable<DayRecord>): DaySource & { days: Map<string, DayRecord>; reads: string[] } {
  const map = new Map([...days].map((d) => [d.date, d]));
  const reads: string[] = [];
  return {
    days: map,
    reads,
    listDays: async () => [...map.keys()].sort(),
    readDay: async (date) => {
      reads.push(date);
      const day = map.get(date);
      if (!day) throw new Error(`no day ${date}`);
      return day;
    },
  };
}
