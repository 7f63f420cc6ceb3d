import { test, expect, type Page } from "@playwright/test";
import { hydrated, learnerFor, signIn } from "./support";

// learner060–063 are this file's: one per project and test.


/** Every response body the page receives, to search for leaked answers. */
function recordResponses(page: Page): string[] {
  const bodies: string[] = [];
  page.on("response", async (response) => {
    const type = response.headers()["content-type"] ?? "";
    if (!/json|html|text/.test(type)) return;
    try {
      bodies.push(await response.text());
    } catch {
      // A response of a page already left has no body any more.
    }
  });
  return bodies;
}

async function answerCurrent(page: Page) {
  const question = page.locator("[data-testid=question].current");
  const kind = await question.getAttribute("data-kind");
  if (kind === "fill") {
    await question.locator("input[type=text]").first().fill("我的答案");
  } else {
    await question.locator("label.option").first().click();
  }
}

test("a learner sits the pre-test: server countdown, autosave, resume, hand in, review; no answer before grading", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const errors: Error[] = [];
  page.on("pageerror", (error) => errors.push(error));
  // The device's clock says 2035: the countdown must follow the server's deadline regardless.
  await page.clock.install({ time: new Date("2035-06-01T08:00:00Z") });
  await signIn(page, learnerFor(testInfo.project.name, "learner060", "learner061"));
  const bodies = recordResponses(page);

  await page.goto("/my-exams");
  await hydrated(page);
  const card = page.getByTestId("exam-card").filter({ hasText: "班前测试" });
  await expect(card).toContainText("共 20 题");
  await card.getByTestId("start-exam").click();
  await expect(page).toHaveURL(/\/attempts\/\d+$/);
  await hydrated(page);
  const attemptUrl = page.url();

  await expect(page.getByTestId("countdown")).toContainText(/(29|30):\d\d/);
  const questions = page.getByTestId("question");
  await expect(questions).toHaveCount(20);

  // One question per screen on a phone, with a question map; all on a desktop.
  if (testInfo.project.name === "wechat-android") {
    await expect(questions.nth(1)).toBeHidden();
    await answerCurrent(page);
    await page.getByTestId("next-question").click();
    await answerCurrent(page);
    await page.getByRole("button", { name: "第 5 题" }).click();
    await answerCurrent(page);
    await page.getByTestId("layout-switch").click();
    await expect(questions.nth(1)).toBeVisible();
  } else {
    await expect(questions.nth(19)).toBeVisible();
    for (const i of [0, 1, 4]) {
      await page.getByRole("button", { name: `第 ${i + 1} 题` }).click();
      await answerCurrent(page);
    }
    await page.getByTestId("layout-switch").click();
    await expect(questions.nth(1)).toBeHidden();
    await page.getByTestId("layout-switch").click();
  }
  await expect(page.getByText("已答 3 / 20")).toBeVisible();
  await expect(page.getByTestId("save-state")).toHaveText("答案已保存", { timeout: 10_000 });

  // A reload resumes the same paper with the saved answers.
  const firstStem = await questions.first().locator(".q-stem").textContent();
  await page.reload();
  await hydrated(page);
  expect(page.url()).toBe(attemptUrl);
  await expect(page.getByText("已答 3 / 20")).toBeVisible();
  await expect(questions.first().locator(".q-stem")).toHaveText(firstStem ?? "");

  // Hand in: confirm, then the review.
  await page.getByTestId("submit-exam").click();
  await expect(page.getByText("还有 17 题未答")).toBeVisible();
  await page.getByTestId("confirm-submit").click();
  await expect(page).toHaveURL(/\/review$/);
  await expect(page.getByTestId("score")).toContainText("/ 100");
  await expect(page.getByTestId("review-item")).toHaveCount(20);

  // What the review reveals now never reached the browser before the hand-in.
  const revealed = await page.locator(".explanation").allTextContents();
  expect(revealed.length).toBeGreaterThan(10);
  const reviewAt = bodies.findIndex((b) => b.includes("answers_shown"));
  const before = reviewAt === -1 ? bodies : bodies.slice(0, reviewAt);
  expect(before.length).toBeGreaterThan(3);
  for (const text of revealed) {
    const explanation = text.replace(/^解析：/, "").trim();
    for (const body of before) {
      expect(body.includes(explanation), `leaked before grading: ${explanation}`).toBe(false);
    }
  }
  // Back on the list: handed in, no second attempt.
  await page.goto("/my-exams");
  await expect(card.getByTestId("attempt-score")).toBeVisible();
  await expect(card.getByTestId("start-exam")).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("answers typed while offline are kept on the device and saved when the network returns", async ({ page, context }, testInfo) => {
  test.setTimeout(90_000);
  await signIn(page, learnerFor(testInfo.project.name, "learner062", "learner063"));
  await page.goto("/my-exams");
  await hydrated(page);
  await page.getByTestId("exam-card").filter({ hasText: "班前测试" }).getByTestId("start-exam").click();
  await expect(page).toHaveURL(/\/attempts\/\d+$/);
  await hydrated(page);
  await context.setOffline(true);
  await answerCurrent(page);
  await expect(page.getByTestId("save-state")).toContainText("网络中断：1 道题的答案暂存在本机", { timeout: 10_000 });
  await context.setOffline(false);
  // A reload before the next save: the answer comes back from the device…
  await page.reload();
  await hydrated(page);
  await expect(page.getByText("已答 1 / 20")).toBeVisible();
  // …and is saved to the server.
  await expect(page.getByTestId("save-state")).toHaveText("答案已保存", { timeout: 15_000 });
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await hydrated(page);
  await expect(page.getByText("已答 1 / 20")).toBeVisible();
});

test.describe("trainers", () => {
  test("a trainer previews a plan with answers, re-samples by seed and reads the coverage and the A/B overlap", async ({ page }, testInfo) => {
    test.skip(testInfo.project.name !== "desktop-chromium", "staff pages are tested on the desktop");
    const errors: Error[] = [];
    page.on("pageerror", (error) => errors.push(error));
    await signIn(page, "organizer");
    await page.goto("/blueprints");
    await page.getByTestId("blueprint-item").filter({ hasText: "班前测试" }).getByRole("link").click();
    await hydrated(page);
    await page.getByTestId("resample").click();
    await expect(page.getByTestId("preview-question")).toHaveCount(20);
    await expect(page.getByTestId("overlap")).toHaveText("0");
    await expect(page.getByTestId("coverage-row").first()).toBeVisible();
    await expect(page.getByTestId("preview-answer").first()).not.toBeEmpty();
    const seed = await page.locator("#seed").inputValue();
    const first = await page.getByTestId("preview-question").first().textContent();
    await page.getByTestId("tab-b").click();
    await expect(page.getByTestId("preview-question").first()).not.toHaveText(first ?? "");
    // The same seed draws the same paper.
    await page.getByTestId("resample").click();
    await page.locator("#seed").fill(seed);
    await page.getByTestId("draw-seed").click();
    await page.getByTestId("tab-a").click();
    await expect(page.getByTestId("preview-question").first()).toHaveText(first ?? "");
    expect(errors).toEqual([]);
  });

  test("an organizer builds a bank: a question with a problem is refused, a file is checked then imported, an edit keeps history", async ({ page }, testInfo) => {
    test.skip(testInfo.project.name !== "desktop-chromium", "staff pages are tested on the desktop");
    test.setTimeout(90_000);
    const errors: Error[] = [];
    page.on("pageerror", (error) => errors.push(error));
    await signIn(page, "organizer");
    await page.goto("/banks");
    await hydrated(page);
    const create = page.getByTestId("bank-create");
    await create.getByLabel(/名称/).fill("浏览器测试题库");
    await create.getByRole("button").click();
    await expect(page).toHaveURL(/\/banks\/\d+$/);
    await hydrated(page);

    const csv =
      "题型,题干,选项A,选项B,选项C,选项D,选项E,选项F,答案,解析,分值,难度,知识点,讲师,来源,忽略标点\n" +
      "单选题,党的根本宗旨是（ ）,全心全意为人民服务,发展经济,,,,,A,宗旨解析,5,3,宗旨,,,\n" +
      "单选题,答案不在选项中（ ）,甲,乙,,,,,E,,5,3,,,,\n" +
      "填空题,党的组织原则是______制,,,,,,,民主集中,,5,2,组织,,,是\n";
    await page.locator("input[type=file]").first().setInputFiles({ name: "题目.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByTestId("import-check").click();
    const report = page.getByTestId("import-report");
    await expect(report).toBeVisible();
    await expect(page.getByTestId("import-problem")).toHaveCount(1);
    await expect(page.getByTestId("import-problem")).toContainText("3");
    await expect(page.getByTestId("import-all")).toBeDisabled();
    await page.getByTestId("import-valid-only").click();
    await expect(report).toContainText("已导入 2 道题");
    await expect(page.getByTestId("question-row")).toHaveCount(2);

    // A new question with a problem is refused beside the field.
    await page.goto(page.url() + "/new");
    await hydrated(page);
    const form = page.getByTestId("question-form");
    await form.getByTestId("question-stem").fill("");
    await page.getByTestId("question-save").click();
    await expect(form).toContainText("题干");
    await form.getByTestId("question-stem").fill("“三会一课”中的“一课”指（ ）");
    await page.getByTestId("option-0").fill("党课");
    await page.getByTestId("option-1").fill("团课");
    await page.getByTestId("correct-0").check();
    await page.getByTestId("question-save").click();
    await expect(page).toHaveURL(/\/questions\/\d+/);
    await hydrated(page);
    await expect(page.getByTestId("question-version")).toHaveCount(1);
    await page.getByTestId("option-1").fill("团课（修改）");
    await page.getByTestId("question-save").click();
    await expect(page.getByTestId("question-saved")).toContainText("第 2 版");
    await expect(page.getByTestId("question-version")).toHaveCount(2);
    expect(errors).toEqual([]);
  });
});
