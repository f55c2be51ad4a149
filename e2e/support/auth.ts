import { type Page, expect } from "@playwright/test";

/** The admin that the first-run spec creates through the set-up form. */
export const ADMIN = { username: "admin", password: "e2e admin password" };

/** Calls a tRPC procedure over HTTP as the page's signed-in user (superjson on the wire). */
export async function trpc<T>(page: Page, path: string, input?: unknown, isQuery = false) {
  const url = `/api/trpc/${path}`;
  const response = isQuery
    ? await page.request.get(`${url}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`)
    : await page.request.post(url, { data: { json: input } });
  expect(response.ok(), `${path} answered ${response.status()}`).toBe(true);
  const body = (await response.json()) as { result: { data: { json: T } } };

  return body.result.data.json;
}

/** Signs in through the API, so the page's context holds the session cookie. */
export async function signIn(page: Page): Promise<void> {
  await trpc(page, "user.signIn", ADMIN);
}

export type TNodeSummary = { id: string; name: string; status: string };

export async function findNodes(page: Page): Promise<TNodeSummary[]> {
  return trpc<TNodeSummary[]>(page, "node.find", undefined, true);
}

/** Adds a node through the API unless one with that name exists; returns its id. */
export async function ensureNode(page: Page, name: string, endpoint: string): Promise<string> {
  const existing = (await findNodes(page)).find((node) => node.name === name);
  if (existing) {
    return existing.id;
  }
  const created = await trpc<TNodeSummary>(page, "node.create", { name, endpoint, labels: {} });

  return created.id;
}
