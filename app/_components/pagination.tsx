import Link from "next/link";

export interface PaginationProps {
  page: number;
  pageCount: number;
  href: (page: number) => string;
  /** Names the list for screen readers, e.g. "Queue pages". */
  label: string;
  previousText?: string;
  nextText?: string;
}

/** GOV.UK pagination ("Previous" / "Next") for a list read a page at a time; nothing when one page holds it all. */
export function Pagination({ page, pageCount, href, label, previousText = "Previous", nextText = "Next" }: PaginationProps) {
  if (pageCount <= 1) return null;
  return (
    <nav className="govuk-pagination govuk-pagination--block" aria-label={label}>
      {page > 1 && (
        <div className="govuk-pagination__prev">
          <Link className="govuk-link govuk-pagination__link" href={href(page - 1)} rel="prev">
            <span className="govuk-pagination__link-title">{previousText}</span>
            <span className="govuk-visually-hidden">:</span>
            <span className="govuk-pagination__link-label">
              Page {page - 1} of {pageCount}
            </span>
          </Link>
        </div>
      )}
      {page < pageCount && (
        <div className="govuk-pagination__next">
          <Link className="govuk-link govuk-pagination__link" href={href(page + 1)} rel="next">
            <span className="govuk-pagination__link-title">{nextText}</span>
            <span className="govuk-visually-hidden">:</span>
            <span className="govuk-pagination__link-label">
              Page {page + 1} of {pageCount}
            </span>
          </Link>
        </div>
      )}
    </nav>
  );
}
