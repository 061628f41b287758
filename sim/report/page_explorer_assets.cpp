// SPDX-License-Identifier: MIT
// page_explorer_assets.cpp - the explorer's markup, style and script. The
// script reads the JSON page_explorer.cpp embeds (#pginit-data) and draws
// the memmap at one milestone, at one of three zoom levels: the machine
// (a cell per section, by node), a section (a cell per pageblock) and a
// pageblock (a cell per struct page). Clicking a page shows its decode:
// pginit's own dump_page() lines for the marked pfns, and for any other pfn
// page->flags decoded here with the same layout (section, node, zone,
// PG_reserved) and who initialized it. Element ids and data- attributes are
// what tests/browser/report_test.mjs drives.
#include "report/page_explorer_assets.h"

namespace pginit {

const char* const PAGE_EXPLORER_MARKUP = R"HTML(<h2>Explore the memmap</h2>
<style>
#explorer .controls { margin: 0.5em 0; display: flex; flex-wrap: wrap; gap: 1em; align-items: center; }
#explorer .grid { display: flex; flex-wrap: wrap; gap: 2px; margin: 4px 0 10px 0; }
#explorer .cell { box-sizing: border-box; border: 1px solid #fff; cursor: pointer; }
#explorer .cell.sec { height: 44px; }
#explorer .cell.block { width: 60px; height: 44px; font-size: 9px; color: #fff; overflow: hidden; }
#explorer .cell.page { width: 17px; height: 17px; }
#explorer .mark-reserved { border-bottom: 5px solid #333; }
#explorer .mark-deferred { border-left: 5px solid #000; }
#explorer .mark-percpu { outline: 2px dashed #8c564b; outline-offset: -3px; }
#explorer .mark-read { box-shadow: inset 0 0 0 4px #ffd700; }
#explorer .selected { outline: 3px solid #000; outline-offset: 0; }
#explorer #main { display: flex; gap: 16px; align-items: flex-start; }
#explorer #map { flex: 1 1 55%; min-width: 320px; }
#explorer #inspector { flex: 1 1 45%; min-width: 320px; border: 1px solid #ccc; padding: 6px 10px; }
#explorer pre { white-space: pre-wrap; word-break: break-all; font-size: 12px; margin: 4px 0; }
#explorer #crumbs button, #explorer #marks button { margin: 2px; }
#explorer .legend span.swatch { display: inline-block; width: 12px; height: 12px; vertical-align: middle; margin: 0 4px 0 12px; border: 1px solid #999; }
</style>
<div id="explorer">
<p>Zoom from the machine to a section, a pageblock and a single struct page by clicking; the slider replays the boot
milestone by milestone; the marks jump to the pages worth a look.</p>
<div class="controls">
<label>Boot milestone <input type="range" id="phase" min="0" max="0" value="0"></label>
<span id="phase-label"></span>
<button id="replay">replay the boot</button>
<label>go to pfn <input id="goto" size="14" placeholder="0x1234"></label><button id="goto-btn">go</button>
</div>
<div class="legend" id="legend"></div>
<div id="crumbs"></div>
<div id="main"><div id="map"></div><div id="inspector"></div></div>
<h3>Marks</h3>
<div id="marks"></div>
</div>
<noscript><p>The explorer needs JavaScript; the pictures above do not.</p></noscript>
)HTML";

const char* const PAGE_EXPLORER_SCRIPT = R"JS((function () {
'use strict';
const D = JSON.parse(document.getElementById('pginit-data').textContent);
const PPS = D.pages_per_section;
const PB = D.pageblock_pages;
const CAT = D.categories;
const $ = (id) => document.getElementById(id);
const hex = (n) => '0x' + n.toString(16);
const reads = D.marks.reads.filter((r) => r.flagged);
const deferred = D.marks.first_deferred_pfn;  // [nid, pfn]
const percpu = D.marks.percpu_chunk;          // [start, end)
let ms = Math.max(0, D.milestones.length - 1);
let view = { level: 'machine' };
let selected = null;
let timer = null;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}
function runs() { return D.milestones.length ? D.milestones[ms].runs : []; }
// Runs are [start, count, category, reserved, flags index], ascending.
function firstRunEndingAfter(pfn) {
  const rs = runs();
  let lo = 0, hi = rs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rs[mid][0] + rs[mid][1] <= pfn) lo = mid + 1; else hi = mid;
  }
  return lo;
}
function runAt(pfn) {
  const rs = runs();
  const i = firstRunEndingAfter(pfn);
  return i < rs.length && rs[i][0] <= pfn ? rs[i] : null;
}
// The category most struct pages of [a, b) are in (-1: none has a memmap), and how many are reserved.
function summary(a, b) {
  const rs = runs();
  const n = new Array(CAT.length).fill(0);
  let reserved = 0;
  for (let i = firstRunEndingAfter(a); i < rs.length && rs[i][0] < b; i++) {
    const r = rs[i];
    const len = Math.min(b, r[0] + r[1]) - Math.max(a, r[0]);
    n[r[2]] += len;
    if (r[3]) reserved += len;
  }
  let best = -1;
  for (let c = 0; c < n.length; c++) if (n[c] > 0 && (best < 0 || n[c] > n[best])) best = c;
  return { cat: best, reserved: reserved };
}
// The node spanning any of [a, b) (a section may begin before its node does).
function nodeOf(a, b) {
  const end = b === undefined ? a + 1 : b;
  for (const n of D.nodes || []) if (a < n.end && end > n.start) return n.nid;
  return null;
}
function zoneOf(pfn) {
  for (const z of D.zone_spans || []) if (pfn >= z.start && pfn < z.end) return z;
  return null;
}
// The sections with a memmap: sparse_init() made them before the first milestone.
const sections = [];
if (D.milestones.length) {
  for (const r of D.milestones[D.milestones.length - 1].runs)
    for (let s = Math.floor(r[0] / PPS); s * PPS < r[0] + r[1]; s++)
      if (!sections.length || sections[sections.length - 1] < s) sections.push(s);
}

function marksIn(a, b) {
  const m = [];
  if (reads.some((r) => r.pfn >= a && r.pfn < b)) m.push('mark-read');
  if (deferred.some((d) => d[1] >= a && d[1] < b)) m.push('mark-deferred');
  if (percpu.some((p) => p[0] < b && p[1] > a)) m.push('mark-percpu');
  return m;
}
function cell(kind, a, b, title, data) {
  const s = summary(a, b);
  const e = el('div', undefined, ['cell', kind].concat(marksIn(a, b), s.reserved ? ['mark-reserved'] : []).join(' '));
  e.style.background = s.cat < 0 ? '#fff' : CAT[s.cat].color;
  e.title = title + (s.cat < 0 ? ': no memmap' : ': mostly ' + CAT[s.cat].name) +
            (s.reserved ? ', ' + s.reserved + ' in memblock.reserved' : '');
  for (const k in data) e.dataset[k] = data[k];
  return e;
}

function drawMachine(map) {
  let grid = null, nid;
  // A few sections get wide cells; a big machine's thousands get small ones.
  const width = Math.max(8, Math.min(120, Math.floor(900 / Math.max(1, sections.length))));
  const height = sections.length > 256 ? 14 : 44;
  for (const s of sections) {
    const n = nodeOf(s * PPS, (s + 1) * PPS);
    if (grid === null || n !== nid) {
      nid = n;
      map.appendChild(el('div', 'node ' + (n === null ? '?' : n), 'node-title'));
      grid = map.appendChild(el('div', undefined, 'grid sections'));
    }
    const c = cell('sec', s * PPS, (s + 1) * PPS, 'section ' + s + ' (pfn ' + hex(s * PPS) + ')', { section: s });
    c.style.width = width + 'px';
    c.style.height = height + 'px';
    grid.appendChild(c);
  }
}
function drawSection(map) {
  const base = view.section * PPS;
  map.appendChild(el('div', 'section ' + view.section + ': pfn ' + hex(base) + ' to ' + hex(base + PPS - 1) +
                            ', one cell per pageblock of ' + PB + ' pages', 'node-title'));
  const grid = map.appendChild(el('div', undefined, 'grid blocks'));
  grid.style.maxWidth = '520px';
  for (let a = base; a < base + PPS; a += PB) {
    const c = cell('block', a, a + PB, 'pageblock pfn ' + hex(a), { block: a });
    c.textContent = hex(a);
    grid.appendChild(c);
  }
}
function drawBlock(map) {
  map.appendChild(el('div', 'pageblock pfn ' + hex(view.block) + ' to ' + hex(view.block + PB - 1) +
                            ', one cell per struct page', 'node-title'));
  const grid = map.appendChild(el('div', undefined, 'grid pages'));
  grid.style.maxWidth = (32 * 19) + 'px';
  for (let p = view.block; p < view.block + PB; p++) {
    const c = cell('page', p, p + 1, 'pfn ' + hex(p), { pfn: p });
    if (p === selected) c.classList.add('selected');
    grid.appendChild(c);
  }
}
function crumbs() {
  const box = $('crumbs');
  box.textContent = 'Zoom: ';
  const add = (text, zoom) => {
    const b = box.appendChild(el('button', text));
    b.dataset.zoom = zoom;
  };
  add('machine', 'machine');
  if (view.level !== 'machine') add('section ' + view.section, 'section');
  if (view.level === 'block') add('pageblock ' + hex(view.block), 'block');
  box.dataset.level = view.level;
}

// The flags line dump_page() prints for this version, and pginit's decode,
// from page->flags alone (the fields, as page_to_section/nid/zonenum read them).
function decodeFlags(pfn, run) {
  const raw = D.flags[run[4]];
  const L = D.layout;
  const state = run[2];
  const phase = state === CAT.length - 2 ? 'zeroed by zero_resv_unavail(), never initialized'
              : state === 0 || state === CAT.length - 1 ? 'not initialized by any phase yet'
              : 'initialized by the ' + D.phase_names[state] + ' phase';
  if (raw === D.poison)
    return { dump: [], decode: ['page->flags is the poison pattern: no one has written this struct page', phase] };
  const f = BigInt('0x' + raw);
  const field = (shift, width) => width ? Number((f >> BigInt(shift)) & ((1n << BigInt(width)) - 1n)) : 0;
  const reserved = Number((f >> BigInt(L.pg_reserved)) & 1n);
  const sec = field(L.sections_shift, L.sections_width);
  const nid = field(L.nodes_shift, L.nodes_width);
  const zid = field(L.zones_shift, L.zones_width);
  let names = reserved ? 'reserved' : '';
  if (D.dump_format === 'v6_1') {
    if (L.sections_width) names += (names ? '|' : '') + 'section=' + sec;
    names += (names ? '|' : '') + 'node=' + nid + '|zone=' + zid;
  }
  const zone = zid < D.zones.length ? D.zones[zid] : '?';
  return {
    dump: ['flags: 0x' + raw + '(' + names + ')'],
    decode: ['page->flags: ' + (L.sections_width ? 'section=' + sec + ' ' : '') + 'node=' + nid + ' zone=' + zid +
             ' (' + zone + '), PG_reserved=' + reserved, phase]
  };
}
function block(box, title, dump, decode, cls) {
  const d = box.appendChild(el('div', undefined, cls));
  d.appendChild(el('div', title, 'when'));
  if (dump.length) d.appendChild(el('pre', dump.join('\n'), 'dump'));
  d.appendChild(el('pre', decode.map((l) => 'pginit: ' + l).join('\n'), 'decode'));
}
function inspect() {
  const box = $('inspector');
  box.textContent = '';
  if (selected === null) {
    box.appendChild(el('p', 'Zoom in to a pageblock and click a struct page, or pick a mark below.'));
    return;
  }
  const label = D.milestones.length ? D.milestones[ms].label : '';
  box.dataset.pfn = selected;
  box.appendChild(el('h3', 'pfn ' + hex(selected) + ', ' + label));
  const saved = (D.pages[String(selected)] || []);
  const now = saved.find((e) => e.when === label);
  const run = runAt(selected);
  if (now) {
    block(box, 'the struct page as dump_page() prints it (pginit page ' + D.file + ' ' + hex(selected) + ')',
          now.dump, now.decode, 'current saved');
  } else if (run === null) {
    block(box, 'no memmap', [], ["no struct page: the pfn's section has no memmap (pfn_valid() is false)"], 'current');
  } else {
    const d = decodeFlags(selected, run);
    block(box, 'page->flags decoded (for refcount, mapcount and lru: pginit page ' + D.file + ' ' + hex(selected) + ')',
          d.dump, d.decode, 'current computed');
  }
  const facts = [];
  const z = zoneOf(selected);
  facts.push('node ' + nodeOf(selected) + (z ? ', zone ' + D.zones[z.zid] : ', in no zone'));
  facts.push(run && run[3] ? 'in memblock.reserved' : 'not in memblock.reserved');
  for (const d of deferred) if (d[1] === selected) facts.push("node " + d[0] + "'s first_deferred_pfn");
  for (const p of percpu) if (selected >= p[0] && selected < p[1]) facts.push('in the per-cpu first chunk');
  for (const r of D.marks.reads)
    if (r.pfn === selected)
      facts.push('read by per_cpu_ptr_to_phys(' + r.what + ') in ' + r.step + '() at ' + (r.time_ns / 1e6).toFixed(3) +
                 ' ms' + (r.flagged ? ': a read of an uninitialized struct page' : ''));
  box.appendChild(el('p', facts.join('; '), 'facts'));
  for (const e of saved)
    if (e.when !== label) {
      const det = box.appendChild(el('details'));
      det.appendChild(el('summary', e.when));
      block(det, '', e.dump, e.decode, 'other saved');
    }
}
function marksList() {
  const box = $('marks');
  box.textContent = '';
  const add = (text, pfn, cls) => {
    const b = box.appendChild(el('button', text, cls));
    b.dataset.goto = pfn;
  };
  for (const r of reads) add('flagged read: pfn ' + hex(r.pfn) + ' by per_cpu_ptr_to_phys(' + r.what + ') in ' + r.step + '()', r.pfn, 'read');
  for (const d of deferred) add('node ' + d[0] + ' first_deferred_pfn ' + hex(d[1]), d[1], 'deferred');
  for (const p of percpu) add('per-cpu first chunk ' + hex(p[0]) + '-' + hex(p[1] - 1), p[0], 'percpu');
  // memblock.reserved at this milestone, region by region (merged runs).
  let shown = 0, start = null, end = null;
  const flush = () => { if (start !== null && shown++ < 64) add('memblock.reserved ' + hex(start) + '-' + hex(end - 1), start, 'reserved'); };
  for (const r of runs()) {
    if (!r[3]) continue;
    if (start !== null && r[0] === end) { end += r[1]; continue; }
    flush();
    start = r[0];
    end = r[0] + r[1];
  }
  flush();
}
function legend() {
  const box = $('legend');
  CAT.forEach((c) => {
    const s = box.appendChild(el('span', undefined, 'swatch'));
    s.style.background = c.color;
    box.appendChild(document.createTextNode(c.name));
  });
  box.appendChild(el('div', 'Marks: yellow ring = flagged read; black left bar = first_deferred_pfn; dashed brown = ' +
                            'per-cpu first chunk; dark bottom bar = memblock.reserved; black outline = the selected page.'));
}
function draw() {
  const map = $('map');
  map.textContent = '';
  $('phase').value = ms;
  $('phase-label').textContent = D.milestones.length ?
      D.milestones[ms].label + ' (' + (D.milestones[ms].time_ns / 1e6).toFixed(3) + ' ms)' : 'no milestones';
  if (view.level === 'machine') drawMachine(map);
  else if (view.level === 'section') drawSection(map);
  else drawBlock(map);
  map.dataset.level = view.level;
  map.dataset.milestone = ms;
  crumbs();
  inspect();
  marksList();
}
function goTo(pfn) {
  const block = pfn - (pfn % PB);
  view = { level: 'block', section: Math.floor(pfn / PPS), block: block };
  selected = pfn;
  draw();
}

$('phase').max = Math.max(0, D.milestones.length - 1);
$('phase').addEventListener('input', () => { ms = Number($('phase').value); draw(); });
$('replay').addEventListener('click', () => {
  if (timer) clearInterval(timer);
  ms = 0;
  draw();
  timer = setInterval(() => {
    if (ms + 1 >= D.milestones.length) { clearInterval(timer); timer = null; return; }
    ms++;
    draw();
  }, 900);
});
$('map').addEventListener('click', (ev) => {
  const c = ev.target.closest('.cell');
  if (!c) return;
  if (c.dataset.section !== undefined) view = { level: 'section', section: Number(c.dataset.section) };
  else if (c.dataset.block !== undefined) view = { level: 'block', section: view.section, block: Number(c.dataset.block) };
  else if (c.dataset.pfn !== undefined) selected = Number(c.dataset.pfn);
  draw();
});
$('crumbs').addEventListener('click', (ev) => {
  const z = ev.target.dataset && ev.target.dataset.zoom;
  if (z === 'machine') view = { level: 'machine' };
  else if (z === 'section') view = { level: 'section', section: view.section };
  else return;
  draw();
});
$('marks').addEventListener('click', (ev) => {
  if (ev.target.dataset && ev.target.dataset.goto !== undefined) goTo(Number(ev.target.dataset.goto));
});
const go = () => {
  const v = $('goto').value.trim();
  const pfn = /^0x[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : /^[0-9]+$/.test(v) ? parseInt(v, 10) : NaN;
  if (!Number.isNaN(pfn)) goTo(pfn);
};
$('goto-btn').addEventListener('click', go);
$('goto').addEventListener('keydown', (ev) => { if (ev.key === 'Enter') go(); });
legend();
draw();
})();
)JS";

}  // namespace pginit
