/** Load something over REST for a key; a new key loads anew, ``reload`` loads the same again. */

import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage } from "./client";

export interface Request<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

type Outcome<T> = { key: string; data: T; error: null } | { key: string; data: null; error: string };

/** ``key`` null loads nothing. Results are kept by key, so a stale answer is never shown. */
export function useRequest<T>(key: string | null, load: () => Promise<T>): Request<T> {
  const loadRef = useRef(load);
  const [generation, setGeneration] = useState(0);
  const [outcome, setOutcome] = useState<Outcome<T> | null>(null);
  const fullKey = key === null ? null : `${key}#${generation}`;

  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    if (fullKey === null) return;
    let cancelled = false;
    loadRef.current().then(
      (data) => {
        if (!cancelled) setOutcome({ key: fullKey, data, error: null });
      },
      (e: unknown) => {
        if (!cancelled) setOutcome({ key: fullKey, data: null, error: errorMessage(e) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [fullKey]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const current = outcome !== null && outcome.key === fullKey ? outcome : null;
  return {
    data: current?.data ?? null,
    error: current?.error ?? null,
    loading: fullKey !== null && current === null,
    reload,
  };
}
