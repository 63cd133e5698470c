import type { ReactNode } from "react";
import { cx } from "./cx";

export interface TableColumn<Row> {
  key: string;
  header: ReactNode;
  /** The column's header as text, repeated beside each value when rows stack on a phone. */
  label: string;
  cell: (row: Row) => ReactNode;
  numeric?: boolean;
}

export interface TableProps<Row> {
  caption: ReactNode;
  /** Show the caption only to screen readers (when a heading above says the same). */
  captionHidden?: boolean;
  columns: TableColumn<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  /** Below 641 px wide, show each row as a block of "label: value" lines instead of columns. */
  stackOnMobile?: boolean;
}

/** GOV.UK table. Stacking rows on a phone keeps wide tables inside a 320 px screen. */
export function Table<Row>({ caption, captionHidden, columns, rows, rowKey, stackOnMobile = true }: TableProps<Row>) {
  return (
    <table className={cx("govuk-table", stackOnMobile && "portal-table--stack")}>
      <caption className={cx("govuk-table__caption govuk-table__caption--m", captionHidden && "govuk-visually-hidden")}>{caption}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          {columns.map((column) => (
            <th key={column.key} scope="col" className={cx("govuk-table__header", column.numeric && "govuk-table__header--numeric")}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {rows.map((row) => (
          <tr key={rowKey(row)} className="govuk-table__row">
            {columns.map((column, index) => {
              const Cell = index === 0 ? "th" : "td";
              return (
                <Cell
                  key={column.key}
                  scope={index === 0 ? "row" : undefined}
                  data-label={column.label}
                  className={cx(index === 0 ? "govuk-table__header" : "govuk-table__cell", column.numeric && "govuk-table__cell--numeric")}
                >
                  {column.cell(row)}
                </Cell>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
