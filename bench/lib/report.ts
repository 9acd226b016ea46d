/** Renders scenario results as the terminal table, the markdown table and the JSON record. */
import { fmt, fmtRatio } from "./format.js";
import { metricLines, type MetricLine, type ScenarioResult } from "./result.js";
import { renderMarkdown, renderText, type Cell } from "./table.js";

const HEADER: Cell[] = ["scenario", "metric", "row", "median", "min–max", "ratio vs socket.io (per-round)", "target", "met"];

function ratioCell(line: MetricLine): Cell {
  if (line.ratioMedian === undefined || !line.ratios) return "1 (baseline)";
  const rs = [...line.ratios].sort((a, b) => a - b);
  return `${fmtRatio(line.ratioMedian)} (${fmtRatio(rs[0]!)}–${fmtRatio(rs[rs.length - 1]!)})`;
}

function targetCell(line: MetricLine): Cell {
  if (line.met === undefined || line.metric.target === undefined) return "";
  return `${line.metric.better === "lower" ? "≤" : "≥"} ${line.metric.target}`;
}

export function tableRows(results: readonly ScenarioResult[]): Cell[][] {
  const rows: Cell[][] = [];
  for (const result of results) {
    for (const line of metricLines(result)) {
      const s = line.summary;
      rows.push([
        result.scenario,
        `${line.metric.label} (${line.metric.unit}, ${line.metric.better} is better)`,
        line.row,
        fmt(s.median),
        s.n > 1 ? `${fmt(s.min)}–${fmt(s.max)}` : "",
        ratioCell(line),
        targetCell(line),
        line.met === undefined ? "" : line.met ? "yes" : "NO",
      ]);
    }
  }
  return rows;
}

export function textTable(results: readonly ScenarioResult[]): string {
  return renderText(HEADER, tableRows(results));
}

export function markdownTable(results: readonly ScenarioResult[]): string {
  return renderMarkdown(HEADER, tableRows(results));
}

/** The JSON record: raw samples, summaries and ratios, so later tools need not re-run anything. */
export function jsonRecord(results: readonly ScenarioResult[], failures: readonly { scenario: string; error: string }[], meta: Record<string, unknown>): unknown {
  return {
    ...meta,
    scenarios: results.map((r) => ({
      ...r,
      lines: metricLines(r).map((l) => ({
        metric: l.metric.key,
        row: l.row,
        summary: l.summary,
        ratios: l.ratios,
        ratioMedian: l.ratioMedian,
        met: l.met,
      })),
    })),
    failures,
  };
}
