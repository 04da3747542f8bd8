// axe-core (the engine behind Lighthouse's accessibility audit) on the page as it is: the serious and critical
// violations, for a11y.spec.js (every page) and for screens that open over a page (a panel, a photo viewer).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Runs axe on the page as it is now; returns the serious and critical violations in a readable form. */
export async function seriousViolations(page) {
  // `evaluate` runs outside the page's Content-Security-Policy, which would refuse an injected script tag.
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ["violations"], runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] }),
  );
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.slice(0, 3).map((node) => node.target.join(" ")),
    }));
}

