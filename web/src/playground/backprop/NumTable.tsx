/** A small table of exact numbers: six significant digits shown, every digit in the title. */

import { fmt } from "./explain";

interface Props {
  caption: string;
  rowHeader: string;
  rows: readonly string[];
  columns: readonly string[];
  /** values[row][column] */
  values: readonly (readonly number[])[];
  /** Rows to emphasise (e.g. the neurons contributing most to the update). */
  highlight?: ReadonlySet<number>;
  testId?: string;
}

export function NumTable({ caption, rowHeader, rows, columns, values, highlight, testId }: Props) {
  return (
    <div className="table-scroll">
      <table className="data-table compact pg-num-table" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{rowHeader}</th>
            {columns.map((c) => (
              <th key={c} scope="col" className="num">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r} className={highlight?.has(i) ? "pg-top-neuron" : undefined}>
              <th scope="row">{r}</th>
              {(values[i] ?? []).map((v, j) => (
                <td key={j} className="num" title={String(v)}>
                  {fmt(v)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Column ``j`` of a [sample][unit] matrix as [unit][1], for one sample's per-unit table. */
export function sampleColumn(matrix: readonly (readonly number[])[], sample: number): number[][] {
  return (matrix[sample] ?? []).map((v) => [v]);
}
