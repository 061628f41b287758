// SPDX-License-Identifier: MIT
// Drives pginit's interactive report in Debian's chromium (headless, through
// puppeteer-core, with every non-file request refused) the way a student
// would: zoom from the machine to the section, the pageblock and the struct
// page of the seed bug's flagged read, click it, and check the decode shown
// against `pginit page` for the same pfn; move the milestone slider back to
// the start and check the page is shown poisoned; click an unmarked page
// (decoded by the script, not embedded) and check its flags too; follow the
// first_deferred_pfn mark, type a pfn, replay the boot. Screenshots
// of each zoom level must not be blank, must differ from each other, and the
// map and the inspector must sit side by side inside the window.
//
// Usage: node report_test.mjs PGINIT CHROMIUM SCENARIO WORKDIR
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

const [pginit, chromium, scenario, work] = process.argv.slice(2);
if (!work) {
  console.error('usage: report_test.mjs PGINIT CHROMIUM SCENARIO WORKDIR');
  process.exit(2);
}
mkdirSync(work, { recursive: true });
let puppeteer;
try {
  puppeteer = (await import('puppeteer-core')).default;
} catch (e) {
  console.error('puppeteer-core is missing: run scripts/setup (npm ci in tests/browser)');
  process.exit(1);
}

function check(cond, what) {
  if (!cond) throw new Error(what);
}
const hex = (n) => '0x' + n.toString(16);

// `pginit page SCENARIO PFN`, split into its snapshots: {when: [lines]}.
function pginitPage(pfn) {
  const out = execFileSync(pginit, ['page', scenario, hex(pfn)], { encoding: 'utf8' });
  const snaps = {};
  let when = null;
  for (const line of out.split('\n')) {
    const m = /^  (\S.*):$/.exec(line);
    if (m) { when = m[1]; snaps[when] = []; } else if (when && line.startsWith('    ')) snaps[when].push(line.trim());
  }
  return snaps;
}
const flagsLine = (lines) => lines.find((l) => l.startsWith('flags: '));
const decodeLine = (lines) => lines.find((l) => l.startsWith('pginit: page->flags'));

// The share of non-white pixels of an 8-bit RGB(A) PNG, every 4th pixel.
function nonWhite(png) {
  check(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'not a PNG');
  let pos = 8, width = 0, height = 0, ch = 0;
  const idat = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const kind = png.toString('latin1', pos + 4, pos + 8);
    const body = png.subarray(pos + 8, pos + 8 + len);
    if (kind === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      check(body[8] === 8 && (body[9] === 2 || body[9] === 6), 'unexpected PNG format');
      ch = body[9] === 2 ? 3 : 4;
    } else if (kind === 'IDAT') idat.push(body);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * ch;
  let prev = Buffer.alloc(stride), drawn = 0, seen = 0;
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {  // undo the row's PNG filter
      const a = i >= ch ? line[i - ch] : 0, b = prev[i], c = i >= ch ? prev[i - ch] : 0;
      if (f === 1) line[i] = (line[i] + a) & 255;
      else if (f === 2) line[i] = (line[i] + b) & 255;
      else if (f === 3) line[i] = (line[i] + ((a + b) >> 1)) & 255;
      else if (f === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        line[i] = (line[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255;
      }
    }
    for (let x = 0; x < stride; x += ch * 4) {
      seen++;
      if (line[x] < 240 || line[x + 1] < 240 || line[x + 2] < 240) drawn++;
    }
    prev = line;
  }
  return drawn / seen;
}

async function main() {
  const t0 = Date.now();
  const html = join(work, 'report.html'), json = join(work, 'run.json');
  execFileSync(pginit, ['run', '-q', '--report', html, '--json', json, scenario]);
  const run = JSON.parse(readFileSync(json, 'utf8'));
  check(run.violations.length > 0, `${scenario} has no flagged read to look at`);
  const readPfn = run.violations[0].pfn;
  const readPfns = new Set(run.violations.map((v) => v.pfn));
  const PB = 512, PPS = 32768;  // x86_64: 2 MiB pageblocks, 128 MiB sections
  const blockStart = readPfn - (readPfn % PB);
  let plainPfn = blockStart + PB - 1;  // in the same pageblock, not marked: decoded by the script
  while (readPfns.has(plainPfn)) plainPfn--;
  const readDump = pginitPage(readPfn), plainDump = pginitPage(plainPfn);
  const END = 'at the end (after page_alloc_init_late)', BEFORE = 'before memmap_init (as sparse_init() left it)';
  check(readDump[END] && readDump[BEFORE], 'pginit page printed no milestones');

  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    page.setDefaultTimeout(5000);  // a broken zoom fails fast
    const fetched = [];
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      if (req.url().startsWith('file://')) req.continue();
      else { fetched.push(req.url()); req.abort(); }
    });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto('file://' + html, { waitUntil: 'load' });
    await page.waitForSelector('#map .cell.sec');
    const shot = async (name) => {
      await page.$eval('#explorer', (e) => e.scrollIntoView());
      const png = Buffer.from(await page.screenshot());
      writeFileSync(join(work, name), png);
      return png;
    };
    const machine = await shot('1-machine.png');

    // Zoom: machine -> section -> pageblock -> page, by clicking.
    await page.click(`#map .cell.sec[data-section="${Math.floor(readPfn / PPS)}"]`);
    await page.waitForSelector('#map[data-level="section"]');
    const section = await shot('2-section.png');
    await page.click(`#map .cell.block[data-block="${blockStart}"]`);
    await page.waitForSelector('#map[data-level="block"]');
    check(await page.$$eval('#map .cell.page', (c) => c.length) === PB, 'the pageblock does not show one cell per page');
    check(await page.$(`#map .cell.page.mark-read[data-pfn="${readPfn}"]`) !== null, 'the read pfn is not marked');
    await page.click(`#map .cell.page[data-pfn="${readPfn}"]`);
    await page.waitForSelector(`#inspector[data-pfn="${readPfn}"]`);
    const pageShot = await shot('3-page.png');

    // The decode shown is pginit page's, at the last milestone (the slider's start).
    const shown = await page.$eval('#inspector .current', (e) => e.innerText);
    check(shown.includes(flagsLine(readDump[END])), `the inspector shows\n${shown}\nnot ${flagsLine(readDump[END])}`);
    check(shown.includes(decodeLine(readDump[END])), `the inspector lacks ${decodeLine(readDump[END])}`);
    const others = await page.$eval('#inspector', (e) => e.innerText);
    check(/per_cpu_ptr_to_phys\(.*\) in trap_init\(\)/.test(others), 'the inspector does not name the read in trap_init');

    // Slider to the start (keyboard, as a user would): before memmap_init the page is poison.
    await page.focus('#phase');
    await page.keyboard.press('Home');
    await page.waitForSelector('#map[data-milestone="0"]');
    const early = await page.$eval('#inspector .current', (e) => e.innerText);
    check(readDump[BEFORE].some((l) => l.includes('poison pattern')), 'pginit page does not show the read pfn poisoned');
    check(early.includes('poison pattern'), `before memmap_init the inspector shows\n${early}`);
    check((await page.$eval('#phase-label', (e) => e.textContent)).startsWith(BEFORE), 'the slider did not go to the start');
    await page.keyboard.press('End');
    await page.waitForSelector('#map:not([data-milestone="0"])');

    // An unmarked page: decoded by the script from the embedded runs.
    await page.click(`#map .cell.page[data-pfn="${plainPfn}"]`);
    await page.waitForSelector(`#inspector[data-pfn="${plainPfn}"]`);
    const plain = await page.$eval('#inspector .current', (e) => e.innerText);
    check(plain.includes(flagsLine(plainDump[END])), `pfn ${hex(plainPfn)}: the inspector shows\n${plain}\nnot ${flagsLine(plainDump[END])}`);
    check(plain.includes(decodeLine(plainDump[END])), `pfn ${hex(plainPfn)}: the inspector lacks ${decodeLine(plainDump[END])}`);

    // The marks list and the pfn box jump straight to a page.
    await page.click('#marks button.deferred');
    await page.waitForSelector('#map[data-level="block"] .cell.page.selected.mark-deferred');
    const facts = await page.$eval('#inspector .facts', (e) => e.innerText);
    check(facts.includes('first_deferred_pfn'), `the first_deferred_pfn mark leads to ${facts}`);
    await page.click('#goto', { count: 3 });
    await page.type('#goto', hex(readPfn));
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#inspector[data-pfn="${readPfn}"]`);

    // Replay: back to the first milestone at once, then forward to the last.
    const last = String(await page.$eval('#phase', (e) => e.max));
    await page.click('#replay');
    await page.waitForSelector('#map[data-milestone="0"]');
    await page.waitForSelector(`#map[data-milestone="${last}"]`);

    // Back out through the crumbs, and the timeline's mark of the read.
    await page.click('#crumbs button[data-zoom="machine"]');
    await page.waitForSelector('#map[data-level="machine"]');
    const mark = await page.$eval('svg.timeline polygon.read-mark title', (t) => t.textContent);
    check(mark.includes('trap_init'), `the timeline marks the read as ${mark}`);

    // Layout: nothing blank, each zoom level a different picture, map and inspector side by side in the window.
    const shares = [machine, section, pageShot].map(nonWhite);
    shares.forEach((s, i) => check(s > 0.03, `screenshot ${i + 1} looks blank (${s.toFixed(3)} drawn)`));
    check(!machine.equals(section) && !section.equals(pageShot), 'zooming did not change the picture');
    const box = await page.evaluate(() => {
      const r = (id) => document.getElementById(id).getBoundingClientRect().toJSON();
      return { map: r('map'), inspector: r('inspector'), width: window.innerWidth,
               scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth };
    });
    check(box.scroll <= box.client + 1, `the page is ${box.scroll} px wide in a ${box.client} px window`);
    check(box.map.width > 200 && box.inspector.width > 200, 'the map or the inspector collapsed');
    check(box.map.right <= box.inspector.left + 1 && box.inspector.right <= box.width + 1, 'the map and inspector overlap or overflow');
    check(errors.length === 0, 'script errors: ' + errors.join('; '));
    check(fetched.length === 0, 'the report fetched ' + fetched.join(', '));
    console.log(`interactive report ok: pfn ${hex(readPfn)} and ${hex(plainPfn)} decoded as pginit page shows them, ` +
                `screenshots ${shares.map((s) => s.toFixed(2)).join('/')} drawn, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error('FAIL:', e.message);
  process.exit(1);
});
