import { test, expect } from "@playwright/test";
import { PC_UA, hydrated, signIn } from "./support";

// 解疑答惑: a learner asks from a page (the header's 提问 link brings the page
// along; the server describes the device), the organizer answers in the inbox,
// the learner reads the answer, the organizer turns it into an FAQ entry and
// the FAQ shows it. A learner's account binds to its first device, so each
// project has its own learner (learner032–035 are this file's).
const LEARNERS: Record<string, string> = {
  "desktop-chromium": "learner032",
  "wechat-android": "learner033",
};

test("a learner asks from a page, the organizer answers, and the answer becomes an FAQ entry", async ({ page, browser, baseURL }, testInfo) => {
  const project = testInfo.project.name;
  const learner = LEARNERS[project];
  test.skip(!learner, "no learner for this project");
  test.setTimeout(90_000);
  const errors: Error[] = [];
  page.on("pageerror", (error) => errors.push(error));
  // Markup in a question is text, shown as typed.
  const question = `课程视频能不能调清晰度？<b>${project}</b> & 碁 ${Date.now()}`;
  const answer = `可以：在播放器下方选择清晰度。（${project}）`;
  const faqQuestion = `播放课程时如何调整清晰度？（${project}）`;

  // ---- the learner asks from the lessons page ----
  await signIn(page, learner);
  await page.goto("/learn");
  await hydrated(page);
  await page.getByTestId("nav-ask").click();
  await expect(page).toHaveURL(/\/support\?from=(\/|%2F)learn$/);
  await expect(page.getByTestId("ask-page")).toContainText("/learn");
  await page.getByLabel("您的问题").fill(question);
  await expect(page.getByText(`已写 ${[...question].length} / 1000 字`)).toBeVisible();
  await page.getByTestId("ask-submit").click();
  await expect(page.getByTestId("ask-done")).toBeVisible();
  await expect(page.getByLabel("您的问题")).toHaveValue("");
  const mine = page.getByTestId("my-question").filter({ hasText: question });
  await expect(mine).toHaveCount(1);
  await expect(mine.getByTestId("question-body")).toHaveText(question);
  await expect(mine.getByTestId("question-state")).toHaveText("待回答");
  await expect(mine.getByTestId("question-page")).toHaveText("/learn");
  await expect(mine.getByTestId("question-device")).toContainText(project === "wechat-android" ? "微信" : "电脑");
  await expect(page.locator("main b")).toHaveCount(0);

  // ---- the organizer answers in the inbox ----
  const staffContext = await browser.newContext({ baseURL, locale: "zh-CN", userAgent: PC_UA });
  const staff = await staffContext.newPage();
  staff.on("pageerror", (error) => errors.push(error));
  await signIn(staff, "organizer");
  await expect(staff.getByTestId("support-open-count")).toBeVisible();
  await staff.getByTestId("nav-support-inbox").click();
  await expect(staff).toHaveURL(/\/support\/inbox$/);
  await hydrated(staff);
  const card = staff.getByTestId("inbox-question").filter({ hasText: question });
  await expect(card).toHaveCount(1);
  await expect(card.getByTestId("question-state")).toHaveText("待回答");
  await expect(card.getByTestId("question-asker")).toContainText(learner);
  await expect(card.getByTestId("question-phone")).toContainText("****");
  await expect(card.getByTestId("question-page")).toHaveText("/learn");
  await expect(card.getByTestId("question-device")).toContainText(project === "wechat-android" ? "微信" : "电脑");
  await card.getByTestId("answer-input").fill(answer);
  await card.getByTestId("answer-submit").click();
  await expect(card.getByTestId("question-notice")).toBeVisible();
  await expect(card.getByTestId("question-state")).toHaveText("已回答");

  // ---- the learner sees the answer ----
  await page.reload();
  await hydrated(page);
  const answered = page.getByTestId("my-question").filter({ hasText: question });
  await expect(answered.getByTestId("question-state")).toHaveText("已回答");
  await expect(answered.getByTestId("answer-text")).toHaveText(answer);

  // ---- the organizer adds it to the FAQ ----
  await card.getByTestId("add-to-faq").click();
  const draft = card.getByTestId("faq-from-question");
  await expect(draft.getByTestId("faq-question-input")).toHaveValue(question);
  await expect(draft.getByTestId("faq-answer-input")).toHaveValue(answer);
  await draft.getByTestId("faq-question-input").fill(faqQuestion);
  await draft.getByTestId("faq-save").click();
  await expect(card.getByTestId("in-faq")).toBeVisible();
  await staff.goto("/support/faq");
  await expect(staff.getByTestId("faq-admin-item").filter({ hasText: faqQuestion })).toHaveCount(1);

  // ---- the FAQ shows it ----
  await page.reload();
  await hydrated(page);
  const entry = page.getByTestId("faq-item").filter({ hasText: faqQuestion });
  await expect(entry).toHaveCount(1);
  await entry.getByTestId("faq-question").click();
  await expect(entry.getByTestId("faq-answer")).toBeVisible();
  await expect(entry.getByTestId("faq-answer")).toHaveText(answer);

  await staffContext.close();
  expect(errors).toEqual([]);
});
