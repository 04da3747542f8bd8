// Grows the demo village 清泉村 to a teaching point of `total` households for the night-school spec and benchmark:
// stops the server, imports invented households with `zoufang-server admin import-households` (the county's
// register format, README.md) and starts it again on the same port and database.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startServer } from "./server.js";

const root = resolve(import.meta.dirname, "..", "..");
const serverBinary = process.env.ZOUFANG_SERVER_BIN || join(root, "target", "debug", "zoufang-server");
const DEMO_HOUSEHOLDS = 12;

const SURNAMES = "符王陈林李吴黎邢周郑云羊钟蔡冯".split("");
const GIVEN = ["春花", "海生", "德明", "秀英", "振华", "美玲", "国强", "丽娟", "文昌", "玉兰", "志坚", "月娥", "家福", "少波", "爱琼"];

/** A valid, invented 居民身份证 number (GB 11643 check digit) for row `n`. */
function idNumber(n) {
  const birth = new Date(Date.UTC(1950, 0, 1) + n * 86_400_000 * 97);
  const ymd = birth.toISOString().slice(0, 10).replaceAll("-", "");
  const body = `460107${ymd}${String(100 + (n % 900)).padStart(3, "0")}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
  return body + "10X98765432"[sum % 11];
}

/** Restarts `server` with the demo village grown to `total` households; returns the restarted server. */
export async function growVillage(server, total, helperPhone = "13800000002") {
  await server.stop();
  const rows = ["户编号,户主姓名,户主身份证号,省,市,县,乡镇,村,组,帮扶责任人手机号"];
  for (let n = 0; n < total - DEMO_HOUSEHOLDS; n++) {
    const name = SURNAMES[n % SURNAMES.length] + GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length];
    const group = `${"五六七八九十".charAt(Math.floor(n / 40) % 6)}组`;
    rows.push(`460107999${String(n).padStart(5, "0")},${name},${idNumber(n)},海南省,海口市,琼山区,三门坡镇,清泉村,${group},${helperPhone}`);
  }
  const csv = join(server.dataDir, "households.csv");
  writeFileSync(csv, rows.join("\n") + "\n");
  execFileSync(serverBinary, ["admin", "--database", join(server.dataDir, "zoufang.sqlite"), "import-households", csv, "--village", "清泉村"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const restarted = await startServer({ port: server.port, dataDir: server.dataDir });
  return restarted;
}

/** Logs in through the API; the token and the user. */
export async function apiLogin(url, phone, password) {
  const response = await fetch(`${url}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ phone, password }),
  });
  if (!response.ok) throw new Error(`login ${phone}: ${response.status}`);
  return response.json();
}

/** The Monday of the broadcast on or before today in China (UTC+8), as YYYY-MM-DD. */
export function thisMonday(now = new Date()) {
  const china = new Date(now.getTime() + 8 * 3_600_000);
  const back = (china.getUTCDay() + 6) % 7;
  return new Date(china.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

/** A date `days` before `date` (YYYY-MM-DD). */
export function daysBefore(date, days) {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}
