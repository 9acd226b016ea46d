import { createRequire } from "node:module";

// engine.io's own dependencies, loaded from where engine.io finds them: rtio builds the bundle
// route's `cors` middleware and negotiates its encodings with the very packages engine.io uses
// for its own requests, without depending on them itself.
const fromEngine = createRequire(createRequire(import.meta.url).resolve("engine.io"));

export function engineDependency<T>(name: "cors" | "accepts"): T {
  return fromEngine(name) as T;
}
