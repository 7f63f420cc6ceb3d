// What the browser tests share: the demo password, a desktop user agent, and
// signing in through the real form.
import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "Academy2026";
export const PC_UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

/** Resolves once the WASM has hydrated the page (it sets a marker on <body>). */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === "true");
}

/** Signs in with the demo password and waits to leave the sign-in page. */
export async function signIn(page: Page, username: string) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}
