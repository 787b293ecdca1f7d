// The trace page's script (inlined by render_html.py): layout, drawing, hover, collapse, kinds, replay.
"use strict";
const DATA = JSON.parse(document.getElementById("data").textContent);
const SVGNS = "http://www.w3.org/2000/svg";
const DX = 14, DY = 44, R = 5;
const hiddenKinds = new Set();
let step = Infinity;

function el(name, attrs, parent) {
  const e = document.createElementNS(SVGNS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

function prepare(t) {
  const n = t.parent.length;
  t.kids = Array.from({length: n}, () => []);
  for (let i = 1; i < n; i++) t.kids[t.parent[i]].push(i);
  t.size = new Array(n).fill(1);
  for (let i = n - 1; i > 0; i--) t.size[t.parent[i]] += t.size[i];
  t.isCollapsed = new Set(t.collapsed);
}

function layout(t) {
  // A column per drawn leaf in visiting order; a parent centred over its first and last child.
  const x = new Map(); let column = 0; const order = [];
  const stack = [[0, false]];
  while (stack.length) {
    const [node, done] = stack.pop();
    if (!done) {
      order.push(node);
      if (t.isCollapsed.has(node) || t.kids[node].length === 0) { x.set(node, column++); continue; }
      stack.push([node, true]);
      for (let k = t.kids[node].length - 1; k >= 0; k--) stack.push([t.kids[node][k], false]);
    } else {
      const kids = t.kids[node];
      x.set(node, (x.get(kids[0]) + x.get(kids[kids.length - 1])) / 2);
    }
  }
  return {x, order, width: Math.max(column, 1)};
}

function shapeOf(kind, cx, cy, g) {
  const colour = DATA.colours[kind] || "#333";
  const s = DATA.shapes[kind] || "square";
  if (s === "circle") return el("circle", {cx, cy, r: R, fill: colour}, g);
  if (s === "diamond")
    return el("polygon", {points: `${cx},${cy - R - 2} ${cx + R + 2},${cy} ${cx},${cy + R + 2} ${cx - R - 2},${cy}`, fill: colour}, g);
  return el("rect", {x: cx - R, y: cy - R, width: 2 * R, height: 2 * R, fill: colour}, g);
}

function describe(t, node) {
  const lines = [t.label[node], `outcome: ${t.kind[node]}   depth: ${t.depth[node]}   node ${node}`];
  if (t.incumbent[node] !== null && t.incumbent[node] !== undefined) lines.push(`incumbent: ${t.incumbent[node]}`);
  const no = t.notOffered[node];
  if (no) lines.push("not offered below: " + Object.entries(no).map(([k, v]) => `${k} ${v}`).join(", "));
  if (t.isCollapsed.has(node)) lines.push(`collapsed: ${t.size[node]} nodes (click to open)`);
  return lines.join("\n");
}

function draw() {
  const box = document.getElementById("trees");
  box.innerHTML = "";
  const tip = document.getElementById("tip");
  const depth = DATA.traces.reduce((m, t) => t.depth.reduce((a, b) => Math.max(a, b), m), 0);
  let shownCount = 0;
  DATA.traces.forEach((t, index) => {
    const {x, order, width} = layout(t);
    const heading = document.createElement("h3");
    const stats = t.meta.stats || {};
    heading.textContent = `${t.title}: ${stats.nodes} nodes` + (t.meta.goal === "count" ? `, count ${t.meta.count}` : "") +
      (t.meta.truncated ? ` (first ${t.parent.length} recorded)` : "");
    box.appendChild(heading);
    const svg = el("svg", {width: width * DX + 40, height: (depth + 1) * DY + 50, "data-trace": index});
    box.appendChild(svg);
    const X = n => 20 + x.get(n) * DX, Y = n => 20 + t.depth[n] * DY;
    const edges = el("g", {}, svg), nodes = el("g", {}, svg);
    for (const node of order) {
      if (node > step) continue;
      if (node > 0) el("line", {class: "edge", x1: X(t.parent[node]), y1: Y(t.parent[node]), x2: X(node), y2: Y(node)}, edges);
      let mark;
      if (t.isCollapsed.has(node)) {
        const cx = X(node), cy = Y(node);
        mark = el("polygon", {points: `${cx},${cy} ${cx - DX * 0.45},${cy + DY * 0.8} ${cx + DX * 0.45},${cy + DY * 0.8}`,
          fill: "#999", class: "node collapsed",
          "data-kind": "collapsed", "data-size": t.size[node], "data-node": node}, nodes);
        el("text", {x: cx, y: cy + DY * 0.8 + 11, "text-anchor": "middle"}, nodes).textContent = t.size[node];
      } else {
        mark = shapeOf(t.kind[node], X(node), Y(node), nodes);
        mark.setAttribute("class", "node" + (hiddenKinds.has(t.kind[node]) ? " hidden" : ""));
        mark.setAttribute("data-kind", t.kind[node]);
        mark.setAttribute("data-node", node);
        if (!hiddenKinds.has(t.kind[node])) shownCount++;
      }
      mark.addEventListener("mousemove", e => {
        tip.style.display = "block"; tip.style.left = (e.clientX + 12) + "px"; tip.style.top = (e.clientY + 12) + "px";
        tip.textContent = describe(t, node);
      });
      mark.addEventListener("mouseleave", () => { tip.style.display = "none"; });
      mark.addEventListener("click", () => {
        if (t.isCollapsed.has(node)) t.isCollapsed.delete(node);
        else if (t.kids[node].length) t.isCollapsed.add(node);
        draw();
      });
    }
  });
  document.getElementById("shown").textContent = `${shownCount} nodes drawn`;
}

function controls() {
  const kinds = document.getElementById("kinds");
  const counts = {};
  for (const t of DATA.traces) for (const k of t.kind.slice(1)) counts[k] = (counts[k] || 0) + 1;
  for (const kind of DATA.order) {
    if (!counts[kind]) continue;
    const label = document.createElement("label");
    label.innerHTML = `<input type="checkbox" checked data-toggle="${kind}"><span class="swatch" style="background:${DATA.colours[kind]}"></span>${DATA.names[kind]} (${counts[kind]})`;
    label.querySelector("input").addEventListener("change", e => {
      if (e.target.checked) hiddenKinds.delete(kind); else hiddenKinds.add(kind);
      draw();
    });
    kinds.appendChild(label);
  }
  const slider = document.getElementById("replay");
  const most = Math.max(...DATA.traces.map(t => t.parent.length - 1));
  slider.max = most; slider.value = most;
  slider.addEventListener("input", () => { step = Number(slider.value); draw(); });
}

DATA.traces.forEach(prepare);
controls();
draw();
