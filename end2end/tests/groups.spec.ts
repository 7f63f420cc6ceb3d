import { test, expect, type Browser, type Page } from "@playwright/test";
import { hydrated, signIn } from "./support";

// The demo's seed class is split into one group per county. County 6
// (learner051–060, liaison06) has no posts or summaries in the demo;
// learner057 and learner058 are this file's.
const CLASS = "2026年党员教育示范培训班";
const TRICKY = `< > & &lt; ' \\ 碁 " <b>粗</b>`;

async function staffPage(browser: Browser, baseURL: string | undefined, username: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: "zh-CN" });
  const page = await context.newPage();
  await signIn(page, username);
  return page;
}

async function classLink(page: Page, name: string) {
  await page.goto("/classes");
  await page.getByTestId("class-row").filter({ hasText: CLASS }).getByRole("link", { name }).click();
  await hydrated(page);
}

test("a day in a study group: topic, discussion, moderation, the liaison's summary returned and resubmitted, the report", async ({ page, browser, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== "wechat-android", "the group day runs in the WeChat project");
  test.setTimeout(180_000);
  const errors: Error[] = [];
  page.on("pageerror", (error) => errors.push(error));

  // The organizer schedules today's topic (tricky text in the title).
  const organizer = await staffPage(browser, baseURL, "organizer");
  await classLink(organizer, "每日话题");
  const topicTitle = `今日讨论 ${TRICKY}`;
  await organizer.getByLabel("话题", { exact: true }).fill(topicTitle);
  await organizer.getByLabel("说明（可选）").fill("请结合 https://www.12371.cn/ 的内容发言。");
  await organizer.getByRole("button", { name: "保存话题" }).click();
  await expect(organizer.getByTestId("topic-row").filter({ hasText: "今日讨论" })).toContainText(topicTitle);

  // The learner sees their group, its liaison and today's topic on the home page.
  await signIn(page, "learner057");
  await page.goto("/");
  const card = page.getByTestId("group-today");
  await expect(card.getByTestId("my-group-name")).toContainText("小组");
  await expect(card.getByTestId("today-topic")).toHaveText(topicTitle);
  await card.getByTestId("discussion-link").click();
  await hydrated(page);
  await expect(page.getByTestId("topic-title")).toHaveText(topicTitle);
  await expect(page.getByTestId("topic").getByRole("link", { name: "https://www.12371.cn/" })).toHaveAttribute("href", "https://www.12371.cn/");
  // Posting: the text comes back exactly, as text (no bold element made).
  await page.getByLabel("我的发言").fill(`${TRICKY}\n第二行`);
  await page.getByRole("button", { name: "发表" }).click();
  const mine = page.getByTestId("post").filter({ hasText: "第二行" });
  await expect(mine.getByTestId("post-body")).toHaveText(`${TRICKY}第二行`);
  await expect(mine.locator("b")).toHaveCount(0);
  await expect(mine.locator("br")).toHaveCount(1);
  // An empty post is refused with a message.
  await page.getByLabel("我的发言").fill("   ");
  await page.getByRole("button", { name: "发表" }).click();
  await expect(page.getByTestId("error-message")).toContainText("请填写发言内容");

  // A second member replies; the first sees it counted as new at home.
  const other = await browser.newContext({ baseURL, locale: "zh-CN", userAgent: await page.evaluate(() => navigator.userAgent) });
  const second = await other.newPage();
  await signIn(second, "learner058");
  await second.goto("/");
  await second.getByTestId("group-today").getByTestId("discussion-link").click();
  await hydrated(second);
  await second.getByTestId("post").filter({ hasText: "第二行" }).getByRole("button", { name: "回复" }).click();
  await expect(second.getByTestId("replying-to")).toBeVisible();
  await second.getByLabel("我的发言").fill("同意，学用结合。");
  await second.getByRole("button", { name: "发表" }).click();
  await expect(second.getByTestId("post").filter({ hasText: "同意，学用结合。" })).toHaveClass(/reply/);
  await page.goto("/");
  await expect(page.getByTestId("group-today").getByTestId("unread")).toHaveText("1");
  // The class's own home shows the group too.
  await page.getByTestId("my-classes").getByRole("link", { name: new RegExp(CLASS) }).click();
  await expect(page.getByTestId("class-title")).toHaveText(CLASS);
  await expect(page.getByTestId("group-today")).toHaveCount(1);
  await expect(page.getByTestId("group-today").getByTestId("today-topic")).toHaveText(topicTitle);

  // The liaison pins and hides; the hidden post is gone for learners.
  const liaison = await staffPage(browser, baseURL, "liaison06");
  await liaison.goto("/");
  const liaisonCard = liaison.getByTestId("group-today").filter({ hasText: "我负责的小组" });
  await liaisonCard.getByTestId("discussion-link").click();
  await hydrated(liaison);
  const reply = liaison.getByTestId("post").filter({ hasText: "同意，学用结合。" });
  await reply.getByTestId("hide").click();
  await expect(reply).toContainText("已隐藏");
  await liaison.getByTestId("post").filter({ hasText: "第二行" }).getByTestId("pin").click();
  await expect(liaison.getByTestId("post").filter({ hasText: "第二行" })).toContainText("置顶");
  await second.reload();
  await hydrated(second);
  await expect(second.getByTestId("post").filter({ hasText: "第二行" })).toBeVisible();
  await expect(second.getByTestId("post").filter({ hasText: "同意，学用结合。" })).toHaveCount(0);

  // The liaison's summary: pre-filled, draft, submit.
  await liaison.getByTestId("summary-link").click();
  await hydrated(liaison);
  await expect(liaison.getByTestId("summary-state")).toHaveAttribute("data-state", "");
  await expect(liaison.getByLabel("讨论主题")).toHaveValue(topicTitle);
  await expect(liaison.getByLabel("参与人数")).toHaveValue(/[1-9]/);
  await liaison.getByLabel("提出的问题").fill(TRICKY);
  await liaison.getByTestId("summary-submit").click();
  await expect(liaison.getByTestId("error-message")).toContainText("请填写主要观点");
  await liaison.getByLabel("主要观点").fill("大家认为要亮身份、作表率。");
  await liaison.getByTestId("summary-submit").click();
  await expect(liaison.getByTestId("summary-state")).toHaveAttribute("data-state", "submitted");

  // The organizer returns it with a comment.
  await classLink(organizer, "讨论汇总表");
  await expect(organizer.getByTestId("summaries-missing")).toContainText("个小组尚未提交");
  // Today only county 6's group has submitted.
  const submitted = organizer.locator("tr[data-testid='summary-row'][data-state='submitted']");
  await expect(submitted).toHaveCount(1);
  await submitted.getByRole("link").click();
  await hydrated(organizer);
  await expect(organizer.getByTestId("summary-group")).not.toBeEmpty();
  await organizer.getByTestId("review-return").click();
  await expect(organizer.getByTestId("error-message")).toContainText("退回意见");
  await organizer.getByLabel("意见（退回时必填）").fill("请补充参与情况");
  await organizer.getByTestId("review-return").click();
  await expect(organizer.getByTestId("summary-state")).toHaveAttribute("data-state", "returned");

  // The liaison sees the comment, edits and resubmits; the organizer accepts.
  await liaison.reload();
  await hydrated(liaison);
  await expect(liaison.getByTestId("review-comment")).toContainText("请补充参与情况");
  await liaison.getByLabel("主要观点").fill("大家认为要亮身份、作表率；全组积极参与。");
  await liaison.getByTestId("summary-submit").click();
  await expect(liaison.getByTestId("summary-state")).toHaveAttribute("data-state", "submitted");
  await organizer.reload();
  await hydrated(organizer);
  await organizer.getByTestId("review-accept").click();
  await expect(organizer.getByTestId("summary-state")).toHaveAttribute("data-state", "accepted");
  await expect(organizer.getByTestId("review-accept")).toHaveCount(0);

  // The report: its total is the dashboard's.
  await classLink(organizer, "每日报告");
  const total = organizer.getByTestId("report-regions").locator("tr.total td[data-col='enrolled']");
  await expect(total).not.toBeEmpty();
  const enrolled = await total.textContent();
  await classLink(organizer, "统计");
  await expect(organizer.getByTestId("dashboard").locator("[data-figure='Enrolled'] strong")).toHaveText(enrolled ?? "");

  expect(errors).toEqual([]);
});
