/** The shell: header, navigation between Playground and Runs, and the current page. */

import { useMemo } from "react";
import { ComparePage } from "./playground/compare/ComparePage";
import { AnalyticsPage } from "./analytics/AnalyticsPage";
import { PlaygroundPage } from "./playground/PlaygroundPage";
import { parseRoute, useHash } from "./router";
import { RunsPage } from "./runs/RunsPage";
import { SearchPage } from "./search/SearchPage";
import { StudyPage } from "./search/StudyPage";
import { SharedRunPage } from "./shared/SharedRunPage";
import { WatchPage } from "./watch/WatchPage";

export function App() {
  const hash = useHash();
  const route = useMemo(() => parseRoute(hash), [hash]);
  const current = route.page === "not-found" || route.page === "shared" ? null : route.page;

  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        document.getElementById("main")?.focus();
      }}>
        Skip to content
      </a>
      <header className="app-header">
        <a className="brand" href="#/playground">
          neuralscope
        </a>
        <nav aria-label="Main">
          <ul className="nav-list">
            <li>
              <a href="#/playground" aria-current={current === "playground" ? "page" : undefined}>
                Playground
              </a>
            </li>
            <li>
              <a href="#/runs" aria-current={current === "runs" ? "page" : undefined}>
                Runs
              </a>
            </li>
            <li>
              <a href="#/watch" aria-current={current === "watch" ? "page" : undefined}>
                Watched
              </a>
            </li>
            <li>
              <a href="#/search" aria-current={current === "search" ? "page" : undefined}>
                Search
              </a>
            </li>
            <li>
              <a href="#/analytics" aria-current={current === "analytics" ? "page" : undefined}>
                Analytics
              </a>
            </li>
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === "playground" && <PlaygroundPage runId={route.runId} setup={route.setup} />}
        {route.page === "compare" && <ComparePage runIds={route.runIds} />}
        {route.page === "runs" && <RunsPage />}
        {route.page === "watch" && <WatchPage runId={route.runId} />}
        {route.page === "shared" && <SharedRunPage token={route.token} />}
        {route.page === "analytics" && <AnalyticsPage modelId={route.modelId} />}
        {route.page === "search" && (route.study ? <StudyPage key={route.study} name={route.study} /> : <SearchPage />)}
        {route.page === "not-found" && (
          <div className="empty-state">
            <h1>Nothing at {route.path}</h1>
            <p>
              Go to the <a href="#/playground">Playground</a> or the <a href="#/runs">list of runs</a>.
            </p>
          </div>
        )}
      </main>
    </>
  );
}
