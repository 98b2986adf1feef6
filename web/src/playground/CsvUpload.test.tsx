import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { createApi } from "../api/client";
import { renderWithApi } from "../test/render";
import { CsvUpload, describeUpload, headerColumns } from "./CsvUpload";
import { pg } from "./test/pgFixtures";

const CSV = "a,b,c,label\n1,2,0,yes\n3,4,1,no\n";

interface Sent {
  url: URL;
  contentType: string | null;
  body: string;
}

/** The upload's body is raw CSV, not JSON: a fake server of its own that keeps it as text. */
function csvServer(status: number, answer: unknown) {
  const sent: Sent[] = [];
  const fetch = async (request: Request) => {
    sent.push({ url: new URL(request.url), contentType: request.headers.get("content-type"), body: await request.text() });
    return new Response(JSON.stringify(answer), { status, headers: { "content-type": "application/json" } });
  };
  return { api: createApi({ baseUrl: "http://localhost:3000", token: null, fetch }), sent };
}

function choose(text: string, name = "data.csv") {
  const file = new File([text], name, { type: "text/csv" });
  fireEvent.change(screen.getByTestId("pg-csv-file"), { target: { files: [file] } });
}

describe("CsvUpload", () => {
  it("offers the header's columns as the label (last by default) and uploads the raw file", async () => {
    const onUploaded = vi.fn();
    const { api, sent } = csvServer(201, pg.csv());
    renderWithApi(<CsvUpload upload={null} onUploaded={onUploaded} />, api);
    choose(CSV);
    await waitFor(() => expect((screen.getByTestId("pg-csv-label") as HTMLSelectElement).value).toBe("label"));
    expect([...(screen.getByTestId("pg-csv-label") as HTMLSelectElement).options].map((o) => o.value)).toEqual(["a", "b", "c", "label"]);
    fireEvent.change(screen.getByTestId("pg-csv-task"), { target: { value: "classification" } });
    fireEvent.click(screen.getByTestId("pg-csv-upload"));
    await waitFor(() => expect(onUploaded).toHaveBeenCalledWith(pg.csv()));
    const post = sent[0];
    expect(post?.url.pathname).toBe("/api/datasets/csv");
    expect(post?.contentType).toBe("text/csv");
    expect(post?.body).toBe(CSV);
    expect(post?.url.searchParams.get("label_column")).toBe("label");
    expect(post?.url.searchParams.get("task")).toBe("classification");
  });

  it("shows the server's row and column message and reports nothing uploaded", async () => {
    const onUploaded = vi.fn();
    const { api } = csvServer(422, pg.csvError());
    renderWithApi(<CsvUpload upload={null} onUploaded={onUploaded} />, api);
    choose("a,b,label\n1,2,0\n3,1\n", "ragged.csv");
    fireEvent.click(await screen.findByTestId("pg-csv-upload"));
    await waitFor(() => expect(screen.getByTestId("error-banner").querySelector("p")?.textContent).toBe(`ragged.csv: ${pg.csvError().error.message}`));
    expect(onUploaded).not.toHaveBeenCalled();
  });

  it("reads headers and describes uploads", () => {
    expect(headerColumns('\uFEFF"x 1",y,"label"\r\n1,2,3')).toEqual(["x 1", "y", "label"]);
    expect(headerColumns("")).toEqual([]);
    expect(describeUpload(pg.csv())).toBe("40 rows · 3 features (a, b, c) · label “label” · binary classification of no, yes");
  });
});
