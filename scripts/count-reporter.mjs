// node:test reporter that counts passed, failed and skipped tests (not suites) and writes
// them as JSON to its destination, for the summary line of `npm test`.
export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for await (const event of source) {
    const data = event.data;
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    if (data.details?.type === "suite") continue;
    if (data.skip !== undefined || data.todo !== undefined) counts.skipped++;
    else if (event.type === "test:pass") counts.passed++;
    else {
      counts.failed++;
      counts.failures.push(`${data.file ?? ""}: ${data.name}`);
    }
  }
  yield JSON.stringify(counts);
}
