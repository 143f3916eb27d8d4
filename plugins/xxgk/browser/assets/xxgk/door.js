// @ts-check
// A portal's search through its search door (portal/door.py, `xxgk portal-serve`): one request
// to the portal's own server, which asks OpenSearch. Same arguments and answer as search.js's
// search(), plus `facets`: {filter: {value: count}} from the engine's aggregations. The page
// (search-page.js) asks here first when the portal names a door, and falls back to search.js.

import RULES from "./rules.js";

const ROOT = new URL(RULES.routes.assets.replace(/[^/]+/g, ".."), import.meta.url);   // the site root
const WAIT = 5000;   // ms: a door that has not answered by then is taken as down

export class DoorDown extends Error {}

/**
 * @param {string} door the door's address (the page's data-door)
 * @param {string} query
 * @param {{filters?: Record<string, any>, sort?: string, limit?: number, offset?: number}} [options]
 */
export async function search(door, query, { filters = {}, sort = "relevance", limit = 10, offset = 0 } = {}) {
  let response;
  try {
    response = await fetch(new URL(door, location.href), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query: query || "", filters, sort, limit, offset }),
      signal: AbortSignal.timeout(WAIT),
    });
  } catch (err) {
    throw new DoorDown(String(err));
  }
  // 400 (a request the door refuses) and 429 (too many) are the reader's to read: searching
  // every member in the browser instead would cost far more; anything else is the door's failure
  const answer = await response.json().catch(() => null);
  if ((response.status === 400 || response.status === 429) && answer?.error) {
    return { count: 0, results: [], done: true, unread: [], facets: {}, refused: answer.error };
  }
  if (!response.ok || !answer || !Array.isArray(answer.results)) throw new DoorDown(`${response.status}`);
  for (const r of answer.results) r.url = sameOrigin(new URL(r.url, ROOT));   // the door's urls are the portal root's
  return answer;
}

const sameOrigin = (url) => (url.origin === location.origin ? url.pathname : url.href);
