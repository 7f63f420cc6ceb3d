import { test, expect, type Page, type Browser } from "@playwright/test";
import * as http from "node:http";
import { baseURL } from "../playwright.config";
import { DEMO_PASSWORD, hydrated, signIn } from "./support";

// The academy's webhook SMS provider posts here (see scripts/e2e-server.sh).
const SMS_PORT = Number(process.env.E2E_SMS_PORT ?? 3199);
const messages: { phone: string; code: string; purpose: string }[] = [];
let receiver: http.Server;

test.beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      messages.push(JSON.parse(body));
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(SMS_PORT, "127.0.0.1", resolve));
});

test.afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

async function codeSentTo(phone: string): Promise<string> {
  await expect.poll(() => messages.filter((m) => m.phone === phone).length).toBeGreaterThan(0);
  return messages.filter((m) => m.phone === phone).at(-1)!.code;
}

async function freshPage(browser: Browser): Promise<Page> {
  // A desktop browser, whichever project runs (contexts inherit the project's device).
  const context = await browser.newContext({
    baseURL,
    locale: "zh-CN",
    userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    viewport: { width: 1280, height: 800 },
    isMobile: false,
    hasTouch: false,
  });
  return context.newPage();
}

const perProject = (name: string, desktop: string, phone: string) => (name === "desktop-chromium" ? desktop : phone);

test("a new learner registers with an SMS code and is signed in on this phone", async ({ page }, testInfo) => {
  const phone = perProject(testInfo.project.name, "13700001001", "13700001002");
  const username = perProject(testInfo.project.name, "reg_desktop", "reg_phone");
  await page.goto("/register");
  await hydrated(page);
  await page.getByLabel("手机号").fill(phone);
  await page.getByTestId("send-code").click();
  await expect(page.getByTestId("send-code")).toBeDisabled();
  const code = await codeSentTo(phone);
  await page.getByLabel("短信验证码").fill(code);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("真实姓名").fill("注册测试");
  await page.getByLabel("所在地区").selectOption({ label: "贵州省 / 铜仁市 / 碧江区" });
  await page.getByLabel("工作单位").fill("碧江区测试支部");
  await page.getByLabel("密码").fill("register-password");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("user-badge")).toContainText("注册测试");
  await page.goto("/account");
  await expect(page.getByTestId("profile")).toContainText(phone);
  await expect(page.getByTestId("bound-device")).toContainText("本机");
});

test("a learner sets a new password with an SMS code", async ({ page }, testInfo) => {
  const learner = perProject(testInfo.project.name, "learner030", "learner031");
  const phone = perProject(testInfo.project.name, "13912340030", "13912340031");
  await page.goto("/reset");
  await hydrated(page);
  await page.getByLabel("手机号").fill(phone);
  await page.getByTestId("send-code").click();
  await page.getByLabel("短信验证码").fill(await codeSentTo(phone));
  await page.getByLabel("新密码").fill("a-brand-new-password");
  await page.getByRole("button", { name: "设置密码" }).click();
  await expect(page.getByRole("status")).toContainText("密码已设置");
  await signIn(page, learner, "a-brand-new-password");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("user-badge")).toContainText("学员");
});

test("an administrator creates an account; its owner activates it once", async ({ page, browser }, testInfo) => {
  const username = perProject(testInfo.project.name, "newstaff_d", "newstaff_p");
  const phone = perProject(testInfo.project.name, "13600002001", "13600002002");
  await signIn(page, "admin");
  await expect(page.getByTestId("nav-admin")).toBeVisible();
  await page.goto("/admin/users/new");
  await hydrated(page);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("真实姓名").fill("新同事");
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("地区").selectOption({ label: "贵州省 / 铜仁市" });
  await page.getByLabel("承办单位").check();
  await page.getByRole("button", { name: "创建" }).click();
  const code = (await page.getByTestId("activation-code").locator("code").textContent())!.trim();
  expect(code).toMatch(/^[A-Z0-9]{12}$/);

  const owner = await freshPage(browser);
  await owner.goto("/activate");
  await hydrated(owner);
  await owner.getByLabel("用户名").fill(username);
  await owner.getByLabel("激活码").fill(code);
  await owner.getByLabel("设置密码").fill("my-own-password");
  await owner.getByRole("button", { name: "激活" }).click();
  await expect(owner.getByTestId("activated")).toBeVisible();
  await signIn(owner, username, "my-own-password");
  await expect(owner.getByTestId("user-badge")).toContainText("承办单位");
});

test("the administrator resets, unbinds and disables an account from its page", async ({ page, browser }, testInfo) => {
  const learner = perProject(testInfo.project.name, "learner040", "learner041");
  const device = await freshPage(browser);
  await signIn(device, learner);
  await expect(device.getByTestId("user-badge")).toContainText("学员");

  await signIn(page, "admin");
  await page.goto(`/admin/users?text=${learner}`);
  await page.getByRole("link", { name: learner }).click();
  await hydrated(page);
  await expect(page.getByTestId("user-state")).toContainText("电脑");
  await page.getByTestId("unbind").click();
  await expect(page.getByTestId("user-state")).not.toContainText("电脑");
  await page.getByTestId("toggle-disabled").click();
  await expect(page.getByTestId("user-state")).toContainText("已停用");
  await device.reload();
  await expect(device.getByTestId("login-link")).toBeVisible();
  await page.getByTestId("toggle-disabled").click();
  await expect(page.getByTestId("user-state")).toContainText("正常");
  await page.getByTestId("reset-password").click();
  await expect(page.getByTestId("activation-code").locator("code")).toHaveText(/^[A-Z0-9]{12}$/);
  await expect(page.getByTestId("user-state")).toContainText("待激活");

  await page.goto("/admin/audit");
  const audit = page.getByTestId("audit-table");
  for (const action of ["device.unbound", "user.disabled", "user.enabled", "user.password_reset"]) {
    await expect(audit).toContainText(action);
  }
});

test("a roster with bad rows is reported by row; a clean one is imported on confirmation", async ({ page }, testInfo) => {
  const base = perProject(testInfo.project.name, "1350000", "1351000");
  await signIn(page, "admin");
  await page.goto("/admin/import");
  await hydrated(page);
  const bad = "姓名,手机号,地区\r\n王一," + base + "0001,碧江区\r\n李二,123,碧江区\r\n赵三," + base + "0003,火星区\r\n";
  await page.getByTestId("import-file").setInputFiles({ name: "名单.csv", mimeType: "text/csv", buffer: Buffer.from(bad, "utf8") });
  await page.getByTestId("import-check").click();
  const problems = page.getByTestId("import-problems");
  await expect(problems).toContainText("手机");
  await expect(problems.locator("tbody tr")).toHaveCount(2);
  await expect(page.getByTestId("import-confirm")).toHaveCount(0);

  const good = "姓名,手机号,地区\r\n王一," + base + "0001,碧江区\r\n李二," + base + "0002,铜仁市万山区\r\n";
  await page.getByTestId("import-file").setInputFiles({ name: "名单.csv", mimeType: "text/csv", buffer: Buffer.from(good, "utf8") });
  await page.getByTestId("import-check").click();
  await expect(page.getByTestId("import-report")).toContainText("可导入 2 行");
  await page.getByTestId("import-confirm").click();
  await expect(page.getByTestId("import-done")).toContainText("已导入 2 名学员");
  await page.goto(`/admin/users?text=${base}000`);
  await expect(page.getByTestId("users-table").locator("tbody tr")).toHaveCount(2);
});
