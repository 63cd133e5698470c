import Link from "next/link";

/**
 * GOV.UK pagination for a list read a page at a time, newest first: "Newer events" and
 * "Older events". Not prefetched: each page of an audit search is a logged page view.
 */
export function AuditPagination({ page, hasNextPage, href, label }: { page: number; hasNextPage: boolean; href: (page: number) => string; label: string }) {
  if (page <= 1 && !hasNextPage) return null;
  return (
    <nav className="govuk-pagination govuk-pagination--block" aria-label={label}>
      {page > 1 && (
        <div className="govuk-pagination__prev">
          <Link className="govuk-link govuk-pagination__link" href={href(page - 1)} rel="prev" prefetch={false}>
            <svg className="govuk-pagination__icon govuk-pagination__icon--prev" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">
              <path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z" />
            </svg>
            <span className="govuk-pagination__link-title">
              Newer<span className="govuk-visually-hidden"> events</span>
            </span>
            <span className="govuk-visually-hidden">:</span>
            <span className="govuk-pagination__link-label">Page {page - 1}</span>
          </Link>
        </div>
      )}
      {hasNextPage && (
        <div className="govuk-pagination__next">
          <Link className="govuk-link govuk-pagination__link" href={href(page + 1)} rel="next" prefetch={false}>
            <svg className="govuk-pagination__icon govuk-pagination__icon--next" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">
              <path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z" />
            </svg>
            <span className="govuk-pagination__link-title">
              Older<span className="govuk-visually-hidden"> events</span>
            </span>
            <span className="govuk-visually-hidden">:</span>
            <span className="govuk-pagination__link-label">Page {page + 1}</span>
          </Link>
        </div>
      )}
    </nav>
  );
}
