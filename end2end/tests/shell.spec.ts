import { test, expect } from "@playwright/test";
import { hydrated, watchConsole } from "./support";


test("the home page is served in Chinese and hydrates without CSP errors", async ({ page }) => {
  const errors = watchConsole(page);
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle("网络学院");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByTestId("home-title")).toHaveText("欢迎来到网络学院");
  await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();
  await hydrated(page);
  expect(errors).toEqual([]);
});

test("every page response carries the security headers, with the script nonce in the CSP", async ({ page }) => {
  const response = await page.goto("/");
  const headers = response!.headers();
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBeTruthy();
  const csp = headers["content-security-policy"];
  expect(csp).toContain("frame-ancestors 'none'");
  const nonce = await page.locator("script[nonce]").first().evaluate((s) => (s as HTMLScriptElement).nonce);
  expect(nonce.length).toBeGreaterThan(10);
  expect(csp).toContain(`'nonce-${nonce}'`);
  expect(csp).not.toContain("unsafe-inline");
});

test("the language switch changes the page to English and the choice survives a reload", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.getByTestId("language-switch").click();
  await expect(page.getByTestId("home-title")).toHaveText("Welcome to the Online Academy");
  await page.reload();
  // Rendered on the server in English: the cookie was sent.
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByTestId("home-title")).toHaveText("Welcome to the Online Academy");
  await hydrated(page);
  await page.getByTestId("language-switch").click();
  await expect(page.getByTestId("home-title")).toHaveText("欢迎来到网络学院");
});

test("an unknown address shows the 404 page with status 404", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toContainText("页面不存在");
  await page.getByRole("link", { name: "返回首页" }).click();
  await expect(page.getByTestId("home-title")).toBeVisible();
});

test("the health check answers 200 while the database is reachable", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  expect(await response.text()).toBe("ok");
});

test("the layout fits a 360 px wide phone without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/");
  await hydrated(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // Tap targets in the header are at least 44 px high.
  const switchBox = await page.getByTestId("language-switch").boundingBox();
  expect(switchBox!.height).toBeGreaterThanOrEqual(44);
});

test("the skip link and the header can be used with the keyboard", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.keyboard.press("Tab");
  await expect(page.locator(".skip-link")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.locator(".brand")).toBeFocused();
});
