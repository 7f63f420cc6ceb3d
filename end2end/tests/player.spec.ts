import { test, expect, type Page, type Browser } from "@playwright/test";
import { baseURL } from "../playwright.config";
import { PC_UA, heartbeatAnswered, hydrated, learnerFor, queuedBeats, signIn } from "./support";

// learner050–055 are this file's: one per project and test.


async function openFirstLesson(page: Page) {
  await page.goto("/learn");
  await page.getByTestId("lessons").getByRole("link").first().click();
  await expect(page.getByTestId("lesson-title")).toBeVisible();
  await hydrated(page);
}

async function play(page: Page) {
  await page.getByTestId("lesson-video").evaluate((v: HTMLVideoElement) => v.play());
}

async function credited(page: Page): Promise<number> {
  return Number(await page.getByTestId("credited").getAttribute("data-credited-ms"));
}

async function position(page: Page): Promise<number> {
  return page.getByTestId("lesson-video").evaluate((v: HTMLVideoElement) => v.currentTime);
}

async function setIdleSeconds(browser: Browser, seconds: number) {
  const context = await browser.newContext({ baseURL, locale: "zh-CN", userAgent: PC_UA, isMobile: false, hasTouch: false });
  const page = await context.newPage();
  await signIn(page, "organizer");
  await page.goto("/classes");
  // The idle prompt is one of the class form's settings.
  await page.getByTestId("class-row").filter({ hasText: "2026年党员教育示范培训班" }).getByTestId("class-edit").click();
  await hydrated(page);
  await page.getByLabel("时间单位").selectOption("seconds");
  await page.getByLabel(/无操作多久后暂停/).fill(String(seconds));
  await page.getByTestId("class-save").click();
  await expect(page.getByTestId("class-saved")).toBeVisible();
  await context.close();
}

test("a lesson plays inline after its intro; slides and outline follow; time is credited; it resumes", async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const errors: Error[] = [];
  page.on("pageerror", (error) => errors.push(error));
  await signIn(page, learnerFor(testInfo.project.name, "learner050", "learner051"));
  await openFirstLesson(page);
  const video = page.getByTestId("lesson-video");
  await expect(video).toHaveAttribute("playsinline", "");
  await expect(video).toHaveAttribute("x5-playsinline", "true");
  await expect(video).toHaveAttribute("webkit-playsinline", "true");

  // The class's intro clip plays first and is marked as not counted.
  await expect(page.getByText("片头（不计入学时）")).toBeVisible();
  await play(page);
  await expect(page.getByText("片头（不计入学时）")).toBeHidden({ timeout: 15_000 });
  // The lecture starts by itself after the intro.
  await expect.poll(() => position(page), { timeout: 10_000 }).toBeGreaterThan(1);

  // The rate menu stops at the class's maximum (2×).
  const rates = await page.getByTestId("rate").locator("option").allTextContents();
  expect(rates).toEqual(["0.75×", "1×", "1.25×", "1.5×", "2×"]);

  // Credited time grows with heartbeats (every 5 s in tests), never beyond real time.
  const started = Date.now();
  await expect.poll(() => credited(page), { timeout: 20_000 }).toBeGreaterThan(3_000);
  expect(await credited(page)).toBeLessThanOrEqual(Date.now() - started + 5_000);

  // Tapping an outline item seeks there; the slide and the outline follow.
  await page.getByRole("button", { name: /三、总结/ }).click();
  await expect.poll(() => position(page)).toBeGreaterThanOrEqual(40);
  await expect(page.getByRole("button", { name: /三、总结/ })).toHaveAttribute("aria-current", "true");
  await expect(page.locator("#slide-thumb-2")).toHaveAttribute("aria-current", "true");
  await expect(page.getByTestId("slide-current")).toHaveAttribute("alt", /3/);

  // Leave at about 42 s once the pause is saved (a pause sends a heartbeat at
  // once), come back: it resumes there.
  const pauseSaved = heartbeatAnswered(page);
  await video.evaluate((v: HTMLVideoElement) => v.pause());
  const leftAt = await position(page);
  await pauseSaved;
  await openFirstLesson(page);
  await play(page);
  await expect(page.getByText("片头（不计入学时）")).toBeHidden({ timeout: 15_000 });
  await expect.poll(() => position(page), { timeout: 10_000 }).toBeGreaterThan(leftAt - 6);
  expect(await position(page)).toBeLessThan(leftAt + 10);

  // On to the next lesson inside the app: the first player is torn down cleanly.
  const first = await page.getByTestId("lesson-title").textContent();
  await page.getByRole("link", { name: "下一课" }).click();
  await expect(page.getByTestId("lesson-title")).not.toHaveText(first ?? "");
  // A whole heartbeat period on the new page: a timer of the old player that
  // was not torn down would have fired (and thrown) by then.
  await heartbeatAnswered(page);
  await play(page);
  await expect(page.getByTestId("lesson-video")).toBeVisible();
  expect(errors).toEqual([]);
});

test("the idle prompt pauses the lesson until the learner confirms", async ({ page, browser }, testInfo) => {
  test.setTimeout(90_000);
  await setIdleSeconds(browser, 8);
  try {
    await signIn(page, learnerFor(testInfo.project.name, "learner052", "learner053"));
    await openFirstLesson(page);
    await play(page);
    await expect(page.getByText("片头（不计入学时）")).toBeHidden({ timeout: 15_000 });
    // No interaction: the prompt appears and the video stops.
    const dialog = page.getByRole("dialog");
    await expect(dialog).toBeVisible({ timeout: 20_000 });
    await expect(dialog).toContainText("先消化学习内容");
    expect(await page.getByTestId("lesson-video").evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
    // Time passes under the prompt (two heartbeats are answered); it earns nothing.
    const before = await credited(page);
    await heartbeatAnswered(page);
    await heartbeatAnswered(page);
    expect(await credited(page)).toBeLessThanOrEqual(before + 1_000);
    // A click continues.
    await page.getByTestId("idle-continue").click();
    await expect(dialog).toBeHidden();
    expect(await page.getByTestId("lesson-video").evaluate((v: HTMLVideoElement) => v.paused)).toBe(false);
  } finally {
    await setIdleSeconds(browser, 1200);
  }
});

test("offline mid-lesson: heartbeats wait on the device and are credited after reconnecting", async ({ page, context }, testInfo) => {
  test.setTimeout(90_000);
  await signIn(page, learnerFor(testInfo.project.name, "learner054", "learner055"));
  await openFirstLesson(page);
  // Whole file first, so that playback goes on without the network.
  await page.getByTestId("lesson-video").evaluate((v: HTMLVideoElement) => { v.preload = "auto"; });
  await play(page);
  await expect(page.getByText("片头（不计入学时）")).toBeHidden({ timeout: 15_000 });
  await expect.poll(() => credited(page), { timeout: 20_000 }).toBeGreaterThan(0);
  const before = await credited(page);

  await context.setOffline(true);
  const offlineAt = Date.now();
  await expect(page.getByTestId("offline-note")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("offline-note")).toContainText("条记录待上传");
  // Queued in local storage, not lost: three heartbeats' worth (some 15 s) of
  // studying offline.
  await expect.poll(() => queuedBeats(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
  const offlineFor = Date.now() - offlineAt;
  await context.setOffline(false);

  await expect(page.getByTestId("offline-note")).toBeHidden({ timeout: 15_000 });
  await expect(page.getByTestId("online-again")).toContainText("网络已恢复");
  await expect.poll(() => credited(page), { timeout: 15_000 }).toBeGreaterThan(before + offlineFor - 7_000);
  // Never more than the real time the page was open for.
  expect(await credited(page) - before).toBeLessThanOrEqual(Date.now() - offlineAt + 6_000);
});
