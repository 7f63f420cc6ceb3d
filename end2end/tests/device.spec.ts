import { test, expect } from "@playwright/test";
import { baseURL } from "../playwright.config";
import { PC_UA, PHONE_UA, hydrated, submitSignIn } from "./support";

// A refused second device stays on the sign-in page: these tests check what
// it shows, so they submit the form without waiting to leave it.
const signIn = submitSignIn;

test("a second device is refused, then let in by approving it on the bound phone", async ({ browser }, testInfo) => {
  const username = testInfo.project.name === "desktop-chromium" ? "learner010" : "learner011";
  const phone = await (await browser.newContext({ baseURL, locale: "zh-CN", userAgent: PHONE_UA })).newPage();
  const pc = await (
    await browser.newContext({ baseURL, locale: "zh-CN", userAgent: PC_UA, viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false })
  ).newPage();

  // The first device to sign in is bound.
  await signIn(phone, username);
  await expect(phone).toHaveURL(/\/$/);
  await expect(phone.getByTestId("user-badge")).toContainText("学员");

  // The PC is refused, told why, and offered the phone's approval.
  await signIn(pc, username);
  await expect(pc.getByTestId("error-message")).toContainText("已绑定另一台手机");
  await pc.getByTestId("approve-from-phone").click();
  await expect(pc.getByTestId("approval-ticket").locator("svg")).toBeVisible();
  const code = (await pc.getByTestId("short-code").textContent())?.trim() ?? "";
  expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);

  // On the phone: see which device asks, and approve.
  await phone.goto(`/approve?code=${code}`);
  await expect(phone.getByTestId("approval-details")).toContainText("Windows 电脑");
  await hydrated(phone);
  await phone.getByTestId("approve").click();
  await expect(phone.getByTestId("approved")).toBeVisible();

  // The PC notices within a poll or two and is signed in.
  await expect(pc).toHaveURL(/\/$/, { timeout: 15_000 });
  await expect(pc.getByTestId("user-badge")).toContainText("学员");

  // The phone lists the PC and can sign it out.
  await phone.goto("/account");
  await expect(phone.getByTestId("bound-device")).toContainText("本机");
  await expect(phone.getByTestId("approved-device")).toHaveCount(1);
  await hydrated(phone);
  await phone.getByTestId("approved-device").getByRole("button").click();
  await expect(phone.getByTestId("approved-device")).toHaveCount(0);
  await pc.reload();
  await expect(pc.getByTestId("login-link")).toBeVisible();
});

test("an administrator finds a learner, sees the bound device and the audit trail", async ({ page }, testInfo) => {
  const learner = testInfo.project.name === "desktop-chromium" ? "learner010" : "learner011";
  await signIn(page, "admin");
  await expect(page.getByTestId("nav-admin")).toBeVisible();
  await page.goto(`/admin/users?text=${learner}`);
  const table = page.getByTestId("users-table");
  await expect(table).toContainText(learner);
  await expect(table).toContainText("Android");
  // Administrators see the whole number.
  await expect(table).toContainText(/139\d{8}/);
  await page.goto("/admin/audit?action=device.");
  await expect(page.getByTestId("audit-table")).toContainText("device.approved");
});

test("a bound phone's cookies and storage copied into another browser neither sign in nor study", async ({ browser }, testInfo) => {
  const username = testInfo.project.name === "desktop-chromium" ? "learner036" : "learner037";
  const phoneContext = await browser.newContext({ baseURL, locale: "zh-CN", userAgent: PHONE_UA });
  const phone = await phoneContext.newPage();
  // Bound by the key pair its browser made: the form waits until it is signed.
  await signIn(phone, username);
  await expect(phone).toHaveURL(/\/$/);

  // Copy everything a browser lets one copy: cookies, local storage, IndexedDB.
  const state = await phoneContext.storageState({ indexedDB: true });
  const copyContext = await browser.newContext({ baseURL, locale: "zh-CN", userAgent: PHONE_UA, storageState: state });
  const copy = await copyContext.newPage();

  // The copied session shows pages, but a lesson earns nothing there: no key.
  await copy.goto("/learn");
  await copy.getByTestId("lessons").locator("a").first().click();
  await expect(copy.getByTestId("error-message")).toContainText("已绑定另一台手机");

  // Signing in again from the copy is refused.
  await copy.context().clearCookies();
  await signIn(copy, username);
  await expect(copy.getByTestId("error-message")).toContainText("已绑定另一台手机");

  // The phone itself signs in again, and studies.
  await phone.context().clearCookies();
  await signIn(phone, username);
  await expect(phone).toHaveURL(/\/$/);
  await phone.goto("/learn");
  await phone.getByTestId("lessons").locator("a").first().click();
  await expect(phone.getByTestId("lesson-title")).toBeVisible();
  await expect(phone.getByTestId("error-message")).toHaveCount(0);
  await expect(phone.getByTestId("preview-note")).toHaveCount(0);
});
