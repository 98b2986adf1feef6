import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import type { Api } from "../api/client";
import { ApiContext } from "../api/context";

export function renderWithApi(ui: ReactElement, api: Api) {
  return render(<ApiContext.Provider value={api}>{ui}</ApiContext.Provider>);
}
