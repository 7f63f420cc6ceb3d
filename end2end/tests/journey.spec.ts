import { test, expect, type Page } from "@playwright/test";
import { hydrated, signIn } from "./support";

// The demo's "快速体验班（演示）": two 3-second courses, two-question tests, an idle
// prompt of 10 s. learner045 is this file's and has not started.
const QUICK_CLASS = "快速体验班（演示）";

async function openClassHome(page: Page) {
  await page.goto("/");
  await page.getByTestId("my-classes").getByRole("link", { name: new RegExp(QUICK_CLASS.replace(/[（）]/g, ".")) }).click();
  await expect(page.getByTestId("class-title")).toHaveText(QUICK_CLASS);
  await hydrated(page);
}

async function step(page: Page, code: string) {
  return page.getByTestId(`step-${code}`);
}

/** Answers every question of the open attempt and hands it in. */
async function sitExam(page: Page) {
  await expect(page).toHaveURL(/\/attempts\/\d+$/);
  await hydrated(page);
  const questions = page.getByTestId("question");
  await expect(questions).toHaveCount(2);
  // All questions on one page, then pick the first option of each.
  if (await questions.nth(1).isHidden()) {
    await page.getByTestId("layout-switch").click();
  }
  for (let i = 0; i < 2; i++) {
    await questions.nth(i).locator("label.option").first().click();
  }
  await expect(page.getByText("已答 2 / 2")).toBeVisible();
  await page.getByTestId("submit-exam").click();
  await page.getByTestId("confirm-submit").click();
  await expect(page).toHaveURL(/\/review$/);
  await expect(page.getByTestId("score")).toContainText("/ 100");
}

/** Plays a lesson to its end (3 s), confirming the idle prompt if it shows. */
async function studyLesson(page: Page, title: string) {
  await page.goto("/learn");
  await page.getByTestId("lessons").getByRole("link", { name: new RegExp(title) }).click();
  await expect(page.getByTestId("lesson-title")).toHaveText(title);
  await hydrated(page);
  const video = page.getByTestId("lesson-video");
  await video.evaluate((v: HTMLVideoElement) => v.play());
  // Completed once the server credited (nearly) all of it: heartbeats every 5 s.
  await expect
    .poll(
      async () => {
        const idle = page.getByRole("button", { name: /继续学习/ });
        if (await idle.isVisible()) await idle.click();
        const ended = await video.evaluate((v: HTMLVideoElement) => v.ended);
        if (ended) await video.evaluate((v: HTMLVideoElement) => { v.currentTime = 0; return v.play(); });
        return page.getByTestId("lesson-complete").isVisible();
      },
      { timeout: 45_000, intervals: [1_000] },
    )
    .toBe(true);
}

test("a fresh learner walks all six steps; the certificate verifies; the organizer's dashboard counts them", async ({ page, browser, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== "wechat-android", "the journey runs in the WeChat project");
  test.setTimeout(240_000);
  const errors: Error[] = [];
  page.on("pageerror", (error) => errors.push(error));
  await signIn(page, "learner045");

  // 1 学员注册: report in.
  await openClassHome(page);
  await expect(await step(page, "register")).toHaveAttribute("data-state", "current");
  await expect(await step(page, "study")).toHaveAttribute("data-state", "locked");
  await page.getByTestId("report-button").click();
  await expect(await step(page, "register")).toHaveAttribute("data-state", "done");
  await expect(await step(page, "pre_test")).toHaveAttribute("data-state", "current");
  // The final exam waits for the courses (and the server says so too).
  await expect(await step(page, "final_exam")).toHaveAttribute("data-state", "locked");
  await expect(await step(page, "final_exam")).toContainText("请先学完全部课程");

  // The daily check-in.
  await page.getByTestId("checkin-button").click();
  await expect(page.getByTestId("checked-in")).toBeVisible();
  await expect(page.getByTestId("streak")).toHaveText("1");

  // 2 班前测试.
  await page.getByTestId("start-pre").click();
  await sitExam(page);

  // 3 在线学习: both courses.
  await openClassHome(page);
  await expect(await step(page, "pre_test")).toHaveAttribute("data-state", "done");
  await expect(await step(page, "study")).toHaveAttribute("data-state", "current");
  await studyLesson(page, "快速体验：入党誓词");
  await studyLesson(page, "快速体验：党员的权利和义务");
  await openClassHome(page);
  await expect(page.getByTestId("class-progress")).toContainText("2/2");
  await expect(await step(page, "study")).toHaveAttribute("data-state", "done");

  // 4 培训评价: the default 22 items; a short opinion is refused first.
  await expect(await step(page, "survey")).toHaveAttribute("data-state", "current");
  await page.getByTestId("go-survey").click();
  await hydrated(page);
  await answerSurvey(page);

  // 5 结业考试.
  await openClassHome(page);
  await expect(await step(page, "survey")).toHaveAttribute("data-state", "done");
  await expect(await step(page, "final_exam")).toHaveAttribute("data-state", "current");
  await page.getByTestId("start-final").click();
  await sitExam(page);

  // 6 培训证书: issued, printable, with a QR link to the public check.
  await openClassHome(page);
  await expect(await step(page, "final_exam")).toHaveAttribute("data-state", "done");
  await expect(await step(page, "certificate")).toHaveAttribute("data-state", "done");
  await page.getByTestId("go-certificate").click();
  await expect(page.getByTestId("certificate")).toBeVisible();
  await expect(page.getByTestId("certificate-class")).toHaveText(QUICK_CLASS);
  const holder = (await page.getByTestId("holder").textContent()) ?? "";
  expect(holder.length).toBeGreaterThan(1);
  await expect(page.locator(".certificate .qr svg")).toBeVisible();
  const pdf = await page.request.get(await page.getByTestId("pdf-link").getAttribute("href") ?? "");
  expect(pdf.status()).toBe(200);
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  const verifyUrl = (await page.getByTestId("verify-link").getAttribute("href")) ?? "";
  expect(verifyUrl).toMatch(/\/verify\/[0-9A-Z]{26}$/);

  // The QR link opens anywhere, signed in or not: a masked name only.
  const visitor = await browser.newContext({ baseURL });
  const check = await visitor.newPage();
  await check.goto(new URL(verifyUrl).pathname);
  await expect(check.getByTestId("verify-found")).toBeVisible();
  await expect(check.getByTestId("verify-class")).toHaveText(QUICK_CLASS);
  const masked = (await check.getByTestId("verify-name").textContent()) ?? "";
  expect(masked).toContain("*");
  expect(masked).not.toBe(holder);
  await check.goto("/verify/ABCDEFGHJKMNPQRSTVWXYZ0123");
  await expect(check.getByTestId("verify-not-found")).toBeVisible();
  await visitor.close();

  // The organizer's dashboard counts the learner.
  const staff = await browser.newContext({ baseURL, locale: "zh-CN" });
  const organizer = await staff.newPage();
  await signIn(organizer, "organizer");
  await organizer.goto("/classes");
  await organizer.getByTestId("class-row").filter({ hasText: QUICK_CLASS }).getByRole("link", { name: "统计" }).click();
  const dashboard = organizer.getByTestId("dashboard");
  await expect(dashboard.locator("[data-figure='Reported in'] strong")).toHaveText("1");
  await expect(dashboard.locator("[data-figure='Certificates'] strong")).toHaveText("1");
  await expect(dashboard.locator("[data-figure='Final exam taken'] strong")).toHaveText("1");
  await expect(dashboard.locator("[data-figure='All courses done'] strong")).toHaveText("1");
  await staff.close();

  expect(errors).toEqual([]);
});

/** Answers every item of the survey; a too-short opinion is refused first. */
async function answerSurvey(page: Page) {
  const items = page.getByTestId("survey-item");
  await expect(items).toHaveCount(22);
  for (let i = 0; i < 22; i++) {
    const item = items.nth(i);
    const choice = item.locator("label.survey-option, label.survey-rate");
    if ((await choice.count()) > 0) {
      await choice.first().click();
    }
  }
  const opinion = items.nth(21).locator("textarea");
  await opinion.fill("课程很好，很实用。");
  await expect(items.nth(21).getByTestId("survey-counter")).toContainText("已写 9/100 字");
  await page.getByTestId("survey-submit").click();
  await expect(page.getByTestId("survey-problems")).toContainText("至少需要 100 个字");
  await expect(page.getByTestId("survey-done")).toHaveCount(0);
  await opinion.fill(
    "这次培训安排得很好，课程内容贴近我们外出务工党员的实际，手机上随时可以学习，播放记忆很方便，打电话回来还能接着看。希望以后多安排一些政策解读和实用技术方面的课程，讨论环节也可以再多一些时间。希望这样的培训能够经常举办。",
  );
  await page.getByTestId("survey-submit").click();
  await expect(page.getByTestId("survey-done")).toBeVisible();
}
