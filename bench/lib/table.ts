/** Plain-text and markdown tables: the same rows, two renderings. */

export type Cell = string;

function widths(header: readonly Cell[], rows: readonly (readonly Cell[])[]): number[] {
  return header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
}

/** A fixed-width table for the terminal. */
export function renderText(header: readonly Cell[], rows: readonly (readonly Cell[])[]): string {
  const w = widths(header, rows);
  const line = (cells: readonly Cell[]) => cells.map((c, i) => c.padEnd(w[i]!)).join("  ").trimEnd();
  return [line(header), w.map((n) => "-".repeat(n)).join("  "), ...rows.map(line)].join("\n");
}

/** A GitHub-flavoured markdown table for docs/benchmarks.md. */
export function renderMarkdown(header: readonly Cell[], rows: readonly (readonly Cell[])[]): string {
  const esc = (c: Cell) => c.replace(/\|/g, "\\|");
  const line = (cells: readonly Cell[]) => `| ${cells.map(esc).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
