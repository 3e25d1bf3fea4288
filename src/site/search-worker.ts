/** The worker thread a full site build indexes its search bundles in (search-bundles.ts). */
import { parentPort } from "node:worker_threads";
import { type IndexRequest, indexingHandler } from "./search-bundles.js";

const port = parentPort!;
const handle = indexingHandler((reply) => port.postMessage(reply));
port.on("message", (request: IndexRequest) => handle(request));
