import { test, expect } from "@playwright/test";
import { baseURL } from "../playwright.config";
import { PC_UA, hydrated, signIn } from "./support";
import path from "node:path";

const demo = (name: string) => path.join(__dirname, "..", "..", "server", "demo", name);

test("a lecturer builds courseware in the browser and it passes the review gates", async ({ page, browser }, testInfo) => {
  test.skip(testInfo.project.name !== "desktop-chromium", "editing courseware is desk work");
  test.setTimeout(90_000);
  const title = `党章学习 ${Date.now()}`;
  await signIn(page, "lecturer08");
  await page.getByTestId("nav-courseware").click();
  await page.getByTestId("new-courseware").click();
  await hydrated(page);
  await page.getByLabel("课程标题").fill(title);
  await page.getByLabel("主讲人").fill("讲师八");
  await page.getByLabel("专题（可选）").fill("党章");
  await page.getByRole("button", { name: "创建" }).click();
  await expect(page.getByTestId("courseware-title")).toHaveText(title);
  await expect(page.getByTestId("courseware-state")).toHaveText("初剪");
  await hydrated(page);

  // A picture is not a video: refused with the reason, nothing attached.
  await page.getByTestId("video-upload").setInputFiles(demo("slide-1.png"));
  await expect(page.getByTestId("video-upload-error")).toContainText("MP4");
  // The real video: stored, its length read from the file.
  await page.getByTestId("video-upload").setInputFiles(demo("lecture.mp4"));
  await expect(page.getByTestId("video-info")).toContainText("lecture.mp4");
  await expect(page.getByText("1分00秒")).toBeVisible();

  // Slides: two images, the second from 00:30.
  await page.getByTestId("slide-upload").setInputFiles([demo("slide-1.png"), demo("slide-2.png")]);
  await expect(page.getByTestId("slide-editor").locator("li")).toHaveCount(2);
  await page.locator("#slide-start-1").fill("00:30");
  await page.locator("#slide-start-1").dispatchEvent("change");
  await page.getByTestId("save-slides").click();
  await expect(page.getByText("幻灯片已保存")).toBeVisible();

  // The outline: a mistake is named by its line, then the right text is kept.
  await page.getByTestId("outline-text").fill("00:00 # 一、总纲\n半分钟 要点");
  await page.getByTestId("save-outline").click();
  await expect(page.getByTestId("error-message")).toContainText("第 2 行");
  await page.getByTestId("outline-text").fill("00:00 # 一、总纲\n00:30 党员的义务");
  await page.getByTestId("save-outline").click();
  await expect(page.getByText("提纲已保存")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("outline-text")).toHaveValue("00:00 # 一、总纲\n00:30 党员的义务");
  await expect(page.getByTestId("slide-editor").locator("li")).toHaveCount(2);
  await hydrated(page);

  // 初剪 → 校对 → 送审, by the lecturer.
  await page.getByTestId("review-proofread").click();
  await expect(page.getByTestId("courseware-state")).toHaveText("校对");
  await page.getByTestId("review-submit").click();
  await expect(page.getByTestId("courseware-state")).toHaveText("送审");
  await expect(page.getByTestId("review-approve")).toHaveCount(0);

  // The reviewer: sending back needs a comment; approving moves it on.
  const reviewer = await (await browser.newContext({ baseURL, locale: "zh-CN", userAgent: PC_UA })).newPage();
  await signIn(reviewer, "reviewer");
  await reviewer.goto(`/courseware?state=submitted`);
  await reviewer.getByRole("link", { name: title }).click();
  await hydrated(reviewer);
  await reviewer.getByTestId("review-send_back").click();
  await expect(reviewer.getByTestId("review").getByTestId("error-message")).toContainText("意见");
  await reviewer.getByTestId("review-approve").click();
  await expect(reviewer.getByTestId("courseware-state")).toHaveText("审核通过");
  await expect(reviewer.getByTestId("review-history").locator("li")).toHaveCount(3);
});
