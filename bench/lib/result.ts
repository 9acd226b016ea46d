/** What a scenario hands back: per row (an implementation, or a client/server pairing) and per metric, one sample per round. */
import { median, pairedRatios, summarize, type Summary } from "./stats.js";

export interface Metric {
  key: string;
  label: string;
  unit: string;
  better: "lower" | "higher";
  /** The target for the subject/baseline ratio: at most this when lower is better, at least when higher is. */
  target?: number;
}

export interface Row {
  name: string;
  /** metric key → one value per round */
  samples: Record<string, number[]>;
}

export interface ScenarioResult {
  scenario: string;
  description: string;
  metrics: Metric[];
  rows: Row[];
  /** The row every ratio divides by (socket.io 4.8). */
  baseline: string;
  /** The row the targets are about (rtio). */
  subject: string;
  notes: string[];
  /** Wall time the scenario took, filled in by the driver. */
  seconds?: number;
}

export interface MetricLine {
  metric: Metric;
  row: string;
  summary: Summary;
  /** Paired per-round ratios row/baseline, absent for the baseline itself. */
  ratios?: number[];
  ratioMedian?: number;
  /** Whether the target is met; only on the subject row of a metric with a target. */
  met?: boolean;
}

export function metricLines(result: ScenarioResult): MetricLine[] {
  const base = result.rows.find((r) => r.name === result.baseline);
  const lines: MetricLine[] = [];
  for (const metric of result.metrics) {
    for (const row of result.rows) {
      const values = row.samples[metric.key] ?? [];
      // A row that does not measure this metric (engine.io-client alone has no layer) prints no line.
      if (values.length === 0) continue;
      const line: MetricLine = { metric, row: row.name, summary: summarize(values) };
      if (base && row !== base && base.samples[metric.key]) {
        line.ratios = pairedRatios(values, base.samples[metric.key]!);
        line.ratioMedian = median(line.ratios);
        if (row.name === result.subject && metric.target !== undefined) {
          line.met = metric.better === "lower" ? line.ratioMedian <= metric.target : line.ratioMedian >= metric.target;
        }
      }
      lines.push(line);
    }
  }
  return lines;
}
