/**
 * The access token: taken from ``?token=`` on the page URL once, kept in sessionStorage, and
 * removed from the address bar so it does not end up in screenshots or shared links.
 */

const KEY = "neuralscope.token";

export function readToken(location: Location = window.location, storage: Storage = sessionStorage): string | null {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get("token");
  if (fromUrl) {
    storage.setItem(KEY, fromUrl);
    params.delete("token");
    const query = params.toString();
    const clean = `${location.pathname}${query ? `?${query}` : ""}${location.hash}`;
    window.history.replaceState(window.history.state, "", clean);
    return fromUrl;
  }
  return storage.getItem(KEY);
}
