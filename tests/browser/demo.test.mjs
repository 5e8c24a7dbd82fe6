// The chat demo in a real browser: Debian's Chromium driven by npm
// playwright-core. Two pages join a room, chat, see each other typing, share
// a PNG (sent and relayed as binary), and one page sees the other leave with
// socket.io's disconnect reason. Saves a screenshot of the first page.
//
// Run directly (not under `node --test`, so that exit code 77 can say
// "skipped"): CAFIO_NODE=<cafio-node> node tests/browser/demo.test.mjs
// Skips when Chromium or playwright-core is missing.

import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { SOURCE_ROOT, startServer } from "../integration/harness.mjs";
import { samplePng } from "./png.mjs";

const CHROMIUM = process.env.CAFIO_CHROMIUM || "/usr/bin/chromium";
const SCREENSHOT_DIR = resolve(process.env.CAFIO_SCREENSHOT_DIR || join(SOURCE_ROOT, "build/screenshots"));
const STEP_TIMEOUT_MS = 10_000; // every wait of a page
const TEST_TIMEOUT_MS = 120_000;

function skip(why) {
  console.log(`SKIP browser test: ${why}`);
  process.exit(77); // ctest SKIP_RETURN_CODE
}

let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch {
  skip("npm playwright-core is not installed (run `npm ci` at the repository root)");
}
if (!existsSync(CHROMIUM)) skip(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set CAFIO_CHROMIUM)`);
if (!process.env.CAFIO_NODE) skip("CAFIO_NODE is not set (the path of the cafio-node binary)");

let server;
let browser;
const problems = []; // page errors and console errors, asserted empty at the end

before(async () => {
  server = await startServer({ app: "demo" });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false, // --no-sandbox: tests run as root
    timeout: 30_000,
    // This machine's network is closed: no background, component, sync or
    // QUIC traffic, which would only fail. Playwright adds a fresh
    // --user-data-dir of its own.
    args: [
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A page in its own browser context (own storage), watched for errors. */
async function openPage(name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  page.on("pageerror", (err) => problems.push(`${name}: page error: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`${name}: console error: ${msg.text()}`);
  });
  return { context, page };
}

async function enter(page, nickname) {
  await page.goto(server.url + "/");
  await page.locator("#login").waitFor({ state: "visible" });
  await page.fill("#nickname", nickname);
  await page.click("#login-button");
  await page.locator("#login").waitFor({ state: "hidden" });
  await page.locator("#room-title", { hasText: "# general" }).waitFor();
}

/** Waits until the member list reads `names`, in order. */
async function membersAre(page, names) {
  await page.waitForFunction(
    (expected) => {
      const shown = [...document.querySelectorAll("#member-list .member-name")].map((n) => n.textContent);
      return JSON.stringify(shown) === JSON.stringify(expected);
    },
    names,
    { timeout: STEP_TIMEOUT_MS },
  );
}

const line = (page, selector, text) => page.locator(selector, { hasText: text }).first().waitFor();

/** The RGBA of pixel (x, y) of the last shared image, read back through a canvas. */
function pixelOfSharedImage(page, x, y) {
  return page.evaluate(
    ([px, py]) => {
      const img = [...document.querySelectorAll("img.shared-image")].pop();
      const canvas = document.createElement("canvas");
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const g = canvas.getContext("2d");
      g.drawImage(img, 0, 0);
      return [...g.getImageData(px, py, 1, 1).data];
    },
    [x, y],
  );
}

test("two browsers chat in a room of the demo", { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const ada = await openPage("ada");
  const grace = await openPage("grace");
  const a = ada.page;
  const g = grace.page;

  await t.test("each page picks a nickname and lands in #general", async () => {
    await enter(a, "ada");
    await enter(g, "grace");
    await line(a, "#status", "connected");
  });

  await t.test("both pages list both members, and the room counts two", async () => {
    await membersAre(a, ["ada", "grace"]);
    await membersAre(g, ["ada", "grace"]);
    await line(a, '#room-list li[data-room="general"] .badge', "2");
  });

  await t.test("the first page shows a system message for the join", async () => {
    await line(a, "#messages .system.join", "grace joined #general");
  });

  await t.test("typing shows on the other page, and stops with the message", async () => {
    await a.click("#message-input");
    await a.locator("#message-input").pressSequentially("Hello from the actors!", { delay: 10 });
    await line(g, "#typing", "ada is typing…");
    await a.press("#message-input", "Enter");
    await line(a, "#messages .message.chat .text", "Hello from the actors!");
    await line(g, "#messages .message.chat .text", "Hello from the actors!");
    await g.waitForFunction(() => document.querySelector("#typing").textContent === "");
  });

  await t.test("a reply reaches the first page", async () => {
    await g.fill("#message-input", "Hi ada! Here is a picture, sent as binary.");
    await g.press("#message-input", "Enter");
    await line(a, "#messages .message.chat .text", "Here is a picture, sent as binary.");
  });

  await t.test("a shared PNG is rendered on both pages from the binary attachment", async () => {
    const png = samplePng();
    await g.setInputFiles("#image-input", { name: "gradient.png", mimeType: "image/png", buffer: png.bytes });
    for (const page of [a, g]) {
      await page.waitForFunction(
        ([w, h]) => {
          const img = document.querySelector("#messages img.shared-image");
          return img && img.complete && img.naturalWidth === w && img.naturalHeight === h;
        },
        [png.width, png.height],
        { timeout: STEP_TIMEOUT_MS },
      );
      const src = await page.locator("img.shared-image").first().getAttribute("src");
      assert.match(src, /^blob:/, "the image is a blob: URL made from the received bytes");
      // The white disc in the middle and the violet corner survived the trip.
      assert.deepEqual(await pixelOfSharedImage(page, 80, 60), [255, 255, 255, 255]);
      assert.deepEqual(await pixelOfSharedImage(page, 0, 0), [124, 92, 255, 255]);
      await line(page, "#messages .message.image figcaption", "gradient.png");
    }
  });

  await t.test("when the second page closes, the first shows why and lists one member", async () => {
    await grace.context.close();
    const notice = a.locator("#messages .system.disconnect", { hasText: "grace disconnected" }).first();
    await notice.waitFor();
    // A closed tab ends the WebSocket abruptly (EOF, ECONNRESET or ENOTCONN
    // on the server's read): socket.io calls that "transport close".
    const reason = await notice.getAttribute("data-reason");
    assert.equal(reason, "transport close");
    assert.equal(await notice.locator(".text").textContent(), `grace disconnected (${reason})`);
    await membersAre(a, ["ada"]);
    await line(a, '#room-list li[data-room="general"] .badge', "1");
  });

  await t.test("a screenshot of the first page is saved", async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, "demo.png");
    await a.screenshot({ path });
    assert.ok(existsSync(path));
    console.log(`screenshot: ${path}`);
  });

  await t.test("no page had a script error or a console error", () => {
    assert.deepEqual(problems, []);
  });

  await ada.context.close();
});
