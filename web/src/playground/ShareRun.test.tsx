import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ShareLinkOut } from "../api/types";
import { fakeServer, type Recorded } from "../test/fakeServer";
import { renderWithApi } from "../test/render";
import { ShareRun } from "./ShareRun";

const RUN = "run-1";
const LIST = `GET /api/runs/${RUN}/shares`;
const OLD: ShareLinkOut = { id: "a".repeat(32), created_at: "2026-11-20T10:00:00Z" };
const NEW = { id: "b".repeat(32), created_at: "2026-11-22T12:00:00Z", token: "t0ken-secret", url: "/#/shared/t0ken-secret" };

/** A fake server holding the run's links: Share adds one, DELETE removes one. */
function linksServer(initial: ShareLinkOut[], revoke?: (r: Recorded) => { status: number; body: unknown }) {
  let links = [...initial];
  return fakeServer({
    [LIST]: () => ({ body: { run_id: RUN, links } }),
    [`POST /api/runs/${RUN}/share`]: () => {
      links = [...links, { id: NEW.id, created_at: NEW.created_at }];
      return { status: 201, body: NEW };
    },
    [`DELETE /api/runs/${RUN}/shares/${OLD.id}`]: (r) => {
      const refused = revoke?.(r);
      if (refused) return refused;
      links = links.filter((l) => l.id !== OLD.id);
      return { body: { run_id: RUN, links } };
    },
    [`DELETE /api/runs/${RUN}/shares/${NEW.id}`]: () => {
      links = links.filter((l) => l.id !== NEW.id);
      return { body: { run_id: RUN, links } };
    },
  });
}

describe("ShareRun", () => {
  it("lists the run's links by date, never by token, and says when there are none", async () => {
    const { api } = linksServer([]);
    renderWithApi(<ShareRun runId={RUN} />, api);
    expect(screen.getByText(/Loading share links/)).toBeTruthy();
    expect((await screen.findByTestId("share-links-empty")).textContent).toMatch(/No share links yet/);

    fireEvent.click(screen.getByTestId("share-button"));
    const input = (await screen.findByTestId("share-link")) as HTMLInputElement;
    expect(input.value).toBe(`${window.location.origin}/#/shared/t0ken-secret`);
    const item = await screen.findByTestId("share-link-item");
    expect(item.getAttribute("data-share-id")).toBe(NEW.id);
    expect(item.textContent).toMatch(/Link made .*2026/);
    expect(item.textContent).toContain("shown above");
    expect(screen.getByTestId("share-links").textContent).not.toContain("t0ken-secret");
  });

  it("revokes a link after a confirm step, and Cancel keeps it", async () => {
    const { api, requests } = linksServer([OLD]);
    renderWithApi(<ShareRun runId={RUN} />, api);
    const revoke = await screen.findByTestId("revoke-button");
    expect(revoke.getAttribute("aria-label")).toMatch(/^Revoke the link made /);

    fireEvent.click(revoke);
    const confirm = screen.getByTestId("confirm-revoke-button");
    expect(document.activeElement).toBe(confirm); // focus moves to the choice
    expect(screen.getByRole("group").textContent).toContain("loses access");
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.getByTestId("revoke-button")).toBeTruthy();
    expect(requests.some((r) => r.method === "DELETE")).toBe(false);

    fireEvent.click(screen.getByTestId("revoke-button"));
    fireEvent.click(screen.getByTestId("confirm-revoke-button"));
    expect((await screen.findByTestId("share-links-empty")).textContent).toMatch(/No share links yet/);
    expect(requests.filter((r) => r.method === "DELETE").map((r) => r.path)).toEqual([`/api/runs/${RUN}/shares/${OLD.id}`]);
  });

  it("revoking the link on show hides its address", async () => {
    const { api } = linksServer([]);
    renderWithApi(<ShareRun runId={RUN} />, api);
    await screen.findByTestId("share-links-empty");
    fireEvent.click(screen.getByTestId("share-button"));
    await screen.findByTestId("share-link");
    fireEvent.click(await screen.findByTestId("revoke-button"));
    fireEvent.click(screen.getByTestId("confirm-revoke-button"));
    await screen.findByTestId("share-links-empty");
    expect(screen.queryByTestId("share-link")).toBeNull();
    expect(screen.getByTestId("share-button").textContent).toBe("Share");
  });

  it("shows a refused revocation and keeps the link", async () => {
    const { api } = linksServer([OLD], () => ({
      status: 503,
      body: { error: { code: "unavailable", message: "the database is not answering" } },
    }));
    renderWithApi(<ShareRun runId={RUN} />, api);
    fireEvent.click(await screen.findByTestId("revoke-button"));
    fireEvent.click(screen.getByTestId("confirm-revoke-button"));
    const item = screen.getByTestId("share-link-item");
    expect((await within(item).findByRole("alert")).textContent).toContain("the database is not answering");
    expect(within(item).getByTestId("revoke-button")).toBeTruthy();
  });

  it("says when the links cannot be listed and tries again", async () => {
    let fail = true;
    const { api } = fakeServer({
      [LIST]: () =>
        fail
          ? { status: 503, body: { error: { code: "unavailable", message: "the database is not answering" } } }
          : { body: { run_id: RUN, links: [OLD] } },
    });
    renderWithApi(<ShareRun runId={RUN} />, api);
    expect((await screen.findByRole("alert")).textContent).toContain("Could not list this run's share links");
    fail = false;
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(screen.getAllByTestId("share-link-item")).toHaveLength(1));
  });
});
