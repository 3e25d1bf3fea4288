/**
 * The process a full site build indexes its search bundles in (search-bundles.ts): requests come
 * in over the IPC channel, one at a time, the day documents in the hand-over files of the folder
 * named by its argument; it ends when the build closes the channel.
 */
import { HandOver, indexingHandler, unwire, type WireRequest } from "./search-bundles.js";

const handOver = new HandOver(process.argv[2]!);
const handle = indexingHandler((reply) => process.send!(reply));
process.on("message", (request: WireRequest) => handle(unwire(request, handOver)));
process.on("disconnect", () => process.exit(0));
