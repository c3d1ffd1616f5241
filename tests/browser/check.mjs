// Open an HTML sheet in Chromium (headless, offline), run axe-core's WCAG 2.2 AA rules, and
// measure what a patient would notice: horizontal scrolling on a phone (320 CSS px wide, the
// width of WCAG's reflow criterion) and at 200% zoom. Prints one JSON object; screenshots are
// written beside the file when SCREENSHOTS is set.
//
//   node check.mjs SHEET.html
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const sheet = process.argv[2];
// No start-up limit of Playwright's own (30 s, which a loaded machine can reach): the Python
// test that runs this script gives it 180 s, which catches a hang.
const browser = await chromium.launch({
  timeout: 0,
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
  ],
});
const result = {};
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
  // Nothing may be fetched: the file is self-contained.
  const requests = [];
  page.on("request", (request) => {
    if (!request.url().startsWith("file:") && !request.url().startsWith("data:")) {
      requests.push(request.url());
    }
  });
  await page.goto(pathToFileURL(sheet).href);
  await page.addScriptTag({ content: axeSource });
  const axe = await page.evaluate(async () => {
    const found = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
      resultTypes: ["violations", "incomplete"],
    });
    const brief = (items) => items.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
    return {
      version: window.axe.version,
      violations: brief(found.violations),
      incomplete: brief(found.incomplete),
      passes: found.passes.length,
    };
  });
  result.axe = axe;
  result.requests = requests;
  result.headings = await page.evaluate(() =>
    [...document.querySelectorAll("h1, h2, h3, h4")].map((h) => `${h.tagName} ${h.textContent}`));
  result.text = await page.evaluate(() => document.body.innerText);
  const overflow = () => document.documentElement.scrollWidth - document.documentElement.clientWidth;
  const widths = {};
  for (const [name, width, zoom] of [["phone", 320, 1], ["zoom200", 1280, 2], ["desktop", 1024, 1]]) {
    const view = await browser.newPage({ viewport: { width: Math.round(width / zoom), height: 800 }, deviceScaleFactor: zoom });
    await view.goto(pathToFileURL(sheet).href);
    widths[name] = await view.evaluate(overflow);
    if (process.env.SCREENSHOTS) {
      await view.screenshot({ path: `${sheet}.${name}.png`, fullPage: true });
    }
    await view.close();
  }
  result.horizontal_overflow = widths;
  if (process.env.SCREENSHOTS) {
    await page.emulateMedia({ media: "print" });
    await page.pdf?.({ path: `${sheet}.print.pdf`, format: "A4" }).catch(() => {});
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
