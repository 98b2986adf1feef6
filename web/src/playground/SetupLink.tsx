/** "Link to this setup": the form encoded in the address, ready to copy and share. */

import { useState } from "react";
import { ErrorBanner } from "../components/ErrorBanner";
import type { PlaygroundForm } from "./form";
import { encodeSetup, setupUrl } from "./setupLink";

export function SetupLink({ form }: { form: PlaygroundForm }) {
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const make = () => {
    const setup = encodeSetup(form);
    if (!setup.ok) {
      setLink(null);
      setError(setup.error);
      return;
    }
    setError(null);
    setLink(setupUrl(setup.value));
  };

  return (
    <div className="pg-setup-link">
      <button type="button" className="button button-quiet" data-testid="pg-setup-link-button" onClick={make}>
        Link to this setup
      </button>
      {link && (
        <input
          type="text"
          readOnly
          value={link}
          aria-label="Setup link"
          data-testid="pg-setup-link"
          className="pg-setup-link-input"
          onFocus={(e) => e.target.select()}
        />
      )}
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
    </div>
  );
}
