/**
 * Whether `value` certainly holds no binary: only primitives, arrays and plain objects without
 * `toJSON`. When it is true the encoder skips `deconstruct`, whose walk costs more. The
 * browser bundles take plain-data.browser.ts instead.
 */
export function isPlainData(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (typeof child === "object" && child !== null && !isPlainData(child)) return false;
    }
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
  for (const k in value) {
    const child: unknown = (value as Record<string, unknown>)[k];
    if (typeof child === "object" && child !== null && !isPlainData(child)) return false;
  }
  return true;
}
