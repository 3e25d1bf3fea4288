/**
 * The process a full site build indexes its search bundles in (search-bundles.ts): requests come
 * in over the IPC channel, one at a time; it ends when the build closes the channel.
 */
import { type IndexRequest, indexingHandler } from "./search-bundles.js";

const handle = indexingHandler((reply) => process.send!(reply));
process.on("message", (request: IndexRequest) => handle(request));
process.on("disconnect", () => process.exit(0));
