/**
 * Whether `value` nests arrays and objects more than `max` levels deep (`["e"]` is one level).
 * Stops as soon as it knows, and never recurses past `max`, so it is safe on any input.
 */
export function isDeeperThan(value: unknown, max: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (max === 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (isDeeperThan(value[i], max - 1)) return true;
    return false;
  }
  for (const k in value) if (isDeeperThan((value as Record<string, unknown>)[k], max - 1)) return true;
  return false;
}
