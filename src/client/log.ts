import debugModule from "debug";

// `rtio:client:*`, silent unless DEBUG asks. The browser bundles swap `debug` for a no-op.
export const log = (name: string): debugModule.Debugger => debugModule("rtio:client:" + name);
