// The installed web app: manifest and icons, the service worker of the build,
// the shell and the learner's last pages offline, a new build taking over only
// when the learner accepts it, and sign-out leaving no learner's pages behind.
import { test, expect, type Page } from "@playwright/test";
import { hydrated, learnerFor, signIn } from "./support";

/** Waits until this build's service worker controls the page. */
async function controlled(page: Page) {
  await page.waitForFunction(async () => {
    const registration = await navigator.serviceWorker.ready;
    return !!registration.active && !!navigator.serviceWorker.controller;
  });
}

async function cacheNames(page: Page): Promise<string[]> {
  return page.evaluate(() => caches.keys());
}

test("the academy is installable: manifest, icons, Apple tags and a registered worker", async ({ page, request }) => {
  await page.goto("/");
  await hydrated(page);
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute("href", "/apple-touch-icon.png");
  await expect(page.locator('meta[name="apple-mobile-web-app-title"]')).toHaveAttribute("content", "网络学院");

  const manifest = await (await request.get("/manifest.webmanifest")).json();
  expect(manifest.name).toBe("网络学院");
  expect(manifest.display).toBe("standalone");
  expect(manifest.lang).toBe("zh-CN");
  const sizes = manifest.icons.map((icon: { sizes: string; purpose: string }) => `${icon.sizes} ${icon.purpose}`);
  expect(sizes).toEqual(expect.arrayContaining(["192x192 any", "512x512 any", "512x512 maskable"]));
  for (const image of [...manifest.icons, ...manifest.screenshots]) {
    const response = await request.get(image.src);
    expect(response.status(), image.src).toBe(200);
    expect(response.headers()["content-type"]).toBe("image/png");
  }

  await controlled(page);
  const script = await page.evaluate(async () => (await navigator.serviceWorker.ready).active!.scriptURL);
  const build = await page.locator('meta[name="academy-build"]').getAttribute("content");
  expect(script).toContain(`/sw.js?build=${build}`);
  expect(await cacheNames(page)).toContain(`shell-${build}`);
});

test("offline, the learner reads the pages they opened last, and anything else says it is offline", async ({
  page,
  context,
}, testInfo) => {
  await signIn(page, learnerFor(testInfo.project.name, "learner070", "learner071"));
  await hydrated(page);
  await controlled(page);
  // Opened while online (through the worker, now that it controls the page).
  await page.goto("/learn");
  await hydrated(page);
  const lessons = (await page.locator("main").innerText()).trim();
  expect(lessons.length).toBeGreaterThan(0);

  await context.setOffline(true);
  await page.goto("/learn");
  await expect(page.locator("main")).toContainText(lessons.split("\n")[0]);
  await page.goto("/classes/1/dashboard");
  await expect(page.getByRole("heading", { name: "网络未连接" })).toBeVisible();
  await context.setOffline(false);
});

test("signing out drops the learner's kept pages", async ({ page }, testInfo) => {
  await signIn(page, learnerFor(testInfo.project.name, "learner072", "learner073"));
  await hydrated(page);
  await controlled(page);
  await page.goto("/learn");
  await hydrated(page);
  await expect.poll(async () => (await cacheNames(page)).some((name) => name.startsWith("pages-"))).toBe(true);

  await page.getByTestId("logout").click();
  await expect(page.getByRole("link", { name: "登录" }).first()).toBeVisible();
  await expect.poll(async () => (await cacheNames(page)).filter((name) => name.startsWith("pages-"))).toEqual([]);
});

test("a new build waits for the learner, then replaces the old shell as a whole", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await controlled(page);
  const build = await page.locator('meta[name="academy-build"]').getAttribute("content");
  const oldShell = `shell-${build}`;
  // A mark in the running build's cache: gone once that cache is dropped (the
  // page registers its own build again after the reload, which may cache it anew).
  await page.evaluate(async (name) => {
    await (await caches.open(name)).put("/marked", new Response("old"));
  }, oldShell);

  // Another build of the worker appears (as after a deployment).
  await page.evaluate(() => navigator.serviceWorker.register("/sw.js?build=dev"));
  const reload = page.getByTestId("update-reload");
  await expect(reload).toHaveText("新版本可用，点击刷新");
  // Until accepted, the running build keeps control and its files.
  expect(await page.evaluate(() => navigator.serviceWorker.controller!.scriptURL)).toContain(`build=${build}`);
  expect(await cacheNames(page)).toContain(oldShell);

  await Promise.all([page.waitForEvent("load"), reload.click()]);
  await hydrated(page);
  expect(await page.evaluate(() => navigator.serviceWorker.controller!.scriptURL)).toContain("build=dev");
  expect(await cacheNames(page)).toContain("shell-dev");
  const marked = await page.evaluate(async (name) => {
    if (!(await caches.has(name))) return false;
    return !!(await (await caches.open(name)).match("/marked"));
  }, oldShell);
  expect(marked).toBe(false);
});

test("on a phone a learner navigates with the bottom tabs, and the header keeps one row", async ({ page }, testInfo) => {
  await signIn(page, learnerFor(testInfo.project.name, "learner074", "learner075"));
  await hydrated(page);
  const tabs = page.getByTestId("tab-bar");
  if (testInfo.project.name === "desktop-chromium") {
    await expect(tabs).toBeHidden();
    return;
  }
  await expect(tabs).toBeVisible();
  await expect(tabs.getByRole("link")).toContainText(["首页", "学习", "考试", "我的"]);
  const header = await page.locator(".site-header").boundingBox();
  expect(header!.height).toBeLessThan(80);
  // Asking for help stays within reach.
  await expect(page.getByTestId("nav-ask")).toBeVisible();
  await tabs.getByRole("link", { name: "考试" }).click();
  await expect(page).toHaveURL(/\/my-exams$/);
  await expect(tabs.getByRole("link", { name: "考试" })).toHaveAttribute("aria-current", "page");
  await expect(tabs.getByRole("link", { name: "首页" })).not.toHaveAttribute("aria-current", "page");
});

test("a learner's journey downloads no staff page's code", async ({ page }, testInfo) => {
  const wasm: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith(".wasm")) wasm.push(path.split("/").pop()!);
  });
  await signIn(page, learnerFor(testInfo.project.name, "learner076", "learner077"));
  await hydrated(page);
  for (const path of ["/", "/learn", "/my-exams", "/account", "/support"]) {
    await page.goto(path);
    await hydrated(page);
  }
  // A lesson, as the learner reaches it.
  await page.goto("/learn");
  await page.getByTestId("lessons").getByRole("link").first().click();
  await expect(page.getByTestId("lesson-title")).toBeVisible();
  await hydrated(page);
  expect(wasm.length).toBeGreaterThan(0);
  expect([...new Set(wasm)]).toEqual(["academy.wasm"]);
});

test("the header marks only the page the learner is on", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== "desktop-chromium", "phones navigate with the tab bar");
  await signIn(page, learnerFor(testInfo.project.name, "learner078", "learner079"));
  await page.goto("/learn");
  await hydrated(page);
  await expect(page.getByTestId("nav-learn")).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("nav-home")).not.toHaveAttribute("aria-current", "page");
  await page.getByTestId("nav-home").click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("nav-home")).toHaveAttribute("aria-current", "page");
});
