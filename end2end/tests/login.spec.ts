import { test, expect } from "@playwright/test";
import { DEMO_PASSWORD, hydrated } from "./support";


test("a learner signs in, sees their name and role in the header, and signs out", async ({ page }, testInfo) => {
  // Each project is its own device: a learner account binds to the first one.
  const username = testInfo.project.name === "desktop-chromium" ? "learner001" : "learner002";
  await page.goto("/");
  await hydrated(page);
  await page.getByTestId("login-link").click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByLabel("用户名")).toHaveAttribute("autocomplete", "username");
  await expect(page.getByLabel("密码")).toHaveAttribute("autocomplete", "current-password");

  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill("not-the-password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByTestId("error-message")).toHaveText("用户名或密码不正确");

  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByLabel("密码").press("Enter");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("user-badge")).toContainText("学员");

  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === "academy_session");
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");
  // Bound by a key pair made in this browser: no bearer key is handed out, and
  // the private key kept in IndexedDB cannot be read out (or copied).
  expect(cookies.find((c) => c.name === "academy_device")).toBeUndefined();
  const key = await page.evaluate(
    () =>
      new Promise<{ extractable: boolean; name: string }>((resolve, reject) => {
        const open = indexedDB.open("academy-device");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction("keys").objectStore("keys").get("device");
          get.onerror = () => reject(get.error);
          get.onsuccess = () =>
            resolve({ extractable: get.result.privateKey.extractable, name: get.result.privateKey.algorithm.name });
        };
      }),
  );
  expect(key).toEqual({ extractable: false, name: "ECDSA" });

  await page.reload();
  await expect(page.getByTestId("user-badge")).toContainText("学员");
  await page.getByTestId("logout").click();
  await expect(page.getByTestId("login-link")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("login-link")).toBeVisible();
});

test("the header shows the most powerful role of a staff account", async ({ page }) => {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("用户名").fill("admin");
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByTestId("user-badge")).toContainText("管理员");
});

test("after five wrong passwords the account is locked, and the page says for how long", async ({ page }, testInfo) => {
  // One account per project: both projects share the server's database.
  const username = testInfo.project.name === "desktop-chromium" ? "learner005" : "learner006";
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("用户名").fill(username);
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.getByLabel("密码").fill(`wrong-password-${attempt}`);
    // Wait for each answer, so the attempts reach the server one after another.
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes("/api/auth/login")),
      page.getByRole("button", { name: "登录" }).click(),
    ]);
    expect(response.status()).toBe(400);
    await expect(page.getByTestId("error-message")).toHaveText("用户名或密码不正确");
  }
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByTestId("error-message")).toContainText("15 分钟后再试");
  await expect(page.getByTestId("login-link")).toBeVisible();
});
