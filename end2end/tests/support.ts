// What the browser tests share: the demo password, the user agents of a PC and
// a phone in WeChat, signing in through the real form, and the conditions the
// specs wait on (hydration, a heartbeat answered) instead of fixed sleeps.
import { expect, type Page, type Response } from "@playwright/test";

export const DEMO_PASSWORD = "Academy2026";
export const PC_UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
export const PHONE_UA =
  "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) " +
  "Chrome/116.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560";

/** Each project is its own device, so each uses its own learner account. */
export function learnerFor(project: string, desktop: string, phone: string) {
  return project === "desktop-chromium" ? desktop : phone;
}

/** Resolves once the WASM has hydrated the page (it sets a marker on <body>). */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === "true");
}

/** Fills and sends the sign-in form, without waiting for the outcome. */
export async function submitSignIn(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
}

/** Signs in and waits to leave the sign-in page. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD) {
  await submitSignIn(page, username, password);
  await expect(page).not.toHaveURL(/\/login/);
}

/** Collects console errors (CSP violations, panics) so a test can assert none happened. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  return errors;
}

/** The next answer of the server to the player's heartbeats. */
export function heartbeatAnswered(page: Page, timeout = 20_000): Promise<Response> {
  return page.waitForResponse(
    (response) => response.url().endsWith("/api/study/heartbeat") && response.request().method() === "POST",
    { timeout },
  );
}

/** Heartbeats the player keeps on the device while offline, across its streams. */
export async function queuedBeats(page: Page): Promise<number> {
  return page.evaluate(() =>
    Object.keys(localStorage)
      .filter((key) => key.startsWith("academy.beats."))
      .reduce((sum, key) => sum + (JSON.parse(localStorage.getItem(key) ?? "[]") as unknown[]).length, 0),
  );
}
