/** Every run, newest first, a page at a time; a name opens the run in the Playground. */

import { useState } from "react";
import { call } from "../api/client";
import { useApi } from "../api/context";
import { useRequest } from "../api/useRequest";
import { ErrorBanner } from "../components/ErrorBanner";
import { RunsTable } from "./RunsTable";

export const PAGE_SIZE = 20;

export function RunsPage() {
  const api = useApi();
  const [offset, setOffset] = useState(0);
  const page = useRequest(`runs:${offset}`, () =>
    call(api.rest.GET("/api/runs", { params: { query: { limit: PAGE_SIZE, offset } } })),
  );
  const data = page.data;
  const last = data ? Math.min(data.offset + data.items.length, data.total) : 0;

  return (
    <div className="runs-page">
      <header className="page-header">
        <h1>Runs</h1>
        <button type="button" className="button" onClick={page.reload} disabled={page.loading}>
          Refresh
        </button>
      </header>
      <ErrorBanner message={page.error} />
      {page.loading && <p className="loading">Loading runs…</p>}
      {data && data.total === 0 && (
        <div className="empty-state" data-testid="runs-empty">
          <p>No runs yet.</p>
          <p>
            <a href="#/playground">Train one in the Playground</a> and it will be listed here.
          </p>
        </div>
      )}
      {data && data.items.length > 0 && (
        <>
          <RunsTable runs={data.items} />
          <nav className="pager" aria-label="Pages of runs">
            <button
              type="button"
              className="button"
              onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
              disabled={offset === 0}
            >
              Previous
            </button>
            <span>
              {data.offset + 1}–{last} of {data.total}
            </span>
            <button
              type="button"
              className="button"
              onClick={() => setOffset(offset + PAGE_SIZE)}
              disabled={last >= data.total}
            >
              Next
            </button>
          </nav>
        </>
      )}
      {data && data.total > 0 && data.items.length === 0 && (
        <p className="empty">
          This page is empty.{" "}
          <button type="button" className="button button-quiet" onClick={() => setOffset(0)}>
            Back to the first page
          </button>
        </p>
      )}
    </div>
  );
}
