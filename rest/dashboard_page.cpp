#include "rest/dashboard_page.hpp"

namespace ovo {
namespace {

// Stable ids and data attributes (node-count, slot-count, data-node, data-state, data-slot)
// are what test/integration/dashboard_test.cpp checks. A token for nodes with a TokenFile is
// read from the address's fragment (/ui#token=...), which browsers never send to a server.
constexpr std::string_view page = R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>OVO cluster</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 16px; background: #f6f7f9; color: #222; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  h2 { font-size: 15px; margin: 18px 0 6px; }
  #status { color: #666; font-size: 13px; }
  #status.error { color: #b00020; }
  #nodes { display: flex; flex-wrap: wrap; gap: 10px; }
  .node { background: #fff; border: 2px solid #ccc; border-radius: 8px; padding: 8px 10px;
          width: 260px; font-size: 13px; }
  .node[data-state="up"] { border-color: #2e7d32; }
  .node[data-state="down"] { border-color: #b00020; background: #fdecee; }
  .node[data-state="leaving"] { border-color: #ef6c00; }
  .node[data-state="witness"] { border-color: #607d8b; }
  .node .title { display: flex; justify-content: space-between; font-weight: 600; }
  .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
            margin-right: 5px; }
  .state { text-transform: uppercase; font-size: 11px; padding: 1px 5px; border-radius: 3px;
           color: #fff; background: #2e7d32; }
  .node[data-state="down"] .state { background: #b00020; }
  .node[data-state="leaving"] .state { background: #ef6c00; }
  .node[data-state="witness"] .state { background: #607d8b; }
  .node table { width: 100%; border-collapse: collapse; margin-top: 4px; }
  .node td { padding: 1px 0; }
  .node td:last-child { text-align: right; }
  .bar { height: 6px; background: #e0e0e0; border-radius: 3px; overflow: hidden; }
  .bar > div { height: 100%; background: #1565c0; }
  .warn { color: #b00020; font-weight: 600; }
  svg.chart { width: 100%; height: 48px; background: #fafafa; border: 1px solid #eee; }
  #slots { display: grid; grid-template-columns: repeat(32, 22px); gap: 2px; }
  .slot { width: 22px; height: 22px; font-size: 8px; line-height: 22px; text-align: center;
          color: #fff; border-radius: 3px; box-sizing: border-box; background: #9e9e9e; }
  .slot[data-owner=""] { background: #fff; color: #b00020; border: 1px dashed #b00020; }
  .slot.replica { border-bottom: 4px solid rgba(0, 0, 0, 0.35); }
  .slot[data-owner-down="true"] { opacity: 0.4; }
  .slot[data-arriving="true"] { outline: 2px solid #ffb300; animation: blink 1s infinite; }
  @keyframes blink { 50% { opacity: 0.5; } }
  #legend { font-size: 12px; color: #555; margin-top: 6px; }
</style>
</head>
<body>
<h1>OVO cluster</h1>
<div id="status">loading...</div>
<h2>Nodes (<span id="node-count">0</span>, <span id="nodes-down">0</span> down)</h2>
<div id="nodes"></div>
<h2>Slots (<span id="slot-count">0</span> served, <span id="slots-arriving">0</span> arriving)
  <span id="rebalance"></span></h2>
<div id="slots"></div>
<div id="legend">Colour: the slot's owner. Dark lower edge: the slot has a replica.
  Amber outline: the slot's data is on its way (moving). Faded: its owner is down (its twin
  takes it over). Dashed: no node serves it.</div>
<script>
"use strict";
const POLL_MS = 1000;
const HISTORY_SECONDS = 300;
const PALETTE = ["#1565c0", "#2e7d32", "#6a1b9a", "#c62828", "#00838f", "#ef6c00",
                 "#4e342e", "#ad1457", "#283593", "#558b2f"];
const token = new URLSearchParams(location.hash.slice(1)).get("token");
const history = {};  // node name -> [{t, ops}], the last HISTORY_SECONDS
const previous = {};  // node name -> {t, requests, uptime}

function colourOf(name, names) {
  const i = names.indexOf(name);
  return i < 0 ? "#9e9e9e" : PALETTE[i % PALETTE.length];
}

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function mb(bytes) { return (bytes / (1024 * 1024)).toFixed(1) + " MB"; }

function row(table, label, value, warn) {
  const tr = el("tr");
  tr.appendChild(el("td", {}, label));
  tr.appendChild(el("td", warn ? {class: "warn"} : {}, String(value)));
  table.appendChild(tr);
}

// ops/s from two successive request totals; a restarted node (uptime went back) starts over.
function recordOps(node, now) {
  const f = node.Figures;
  if (!f) return;
  const before = previous[node.Name];
  previous[node.Name] = {t: now, requests: f.Requests, uptime: f.UptimeMs};
  if (!before || f.UptimeMs < before.uptime || now <= before.t) return;
  const ops = Math.max(0, (f.Requests - before.requests) * 1000 / (now - before.t));
  const points = history[node.Name] = history[node.Name] || [];
  points.push({t: now, ops: ops});
  while (points.length && points[0].t < now - HISTORY_SECONDS * 1000) points.shift();
}

function chart(name, now, colour) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("class", "chart");
  svg.setAttribute("viewBox", "0 0 300 48");
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("data-chart", name);
  const points = history[name] || [];
  const top = Math.max(1, ...points.map(p => p.ops));
  const line = points.map(p => {
    const x = 300 - (now - p.t) / 1000;
    const y = 46 - 44 * p.ops / top;
    return x.toFixed(1) + "," + y.toFixed(1);
  }).join(" ");
  const poly = document.createElementNS(ns, "polyline");
  poly.setAttribute("points", line);
  poly.setAttribute("fill", "none");
  poly.setAttribute("stroke", colour);
  poly.setAttribute("stroke-width", "1.5");
  svg.appendChild(poly);
  const label = document.createElementNS(ns, "text");
  label.setAttribute("x", "3");
  label.setAttribute("y", "11");
  label.setAttribute("font-size", "10");
  label.textContent = "max " + top.toFixed(0) + " ops/s, last 5 min";
  svg.appendChild(label);
  return svg;
}

function drawNodes(data, names, now) {
  const box = document.getElementById("nodes");
  box.replaceChildren();
  let down = 0;
  for (const node of data.Nodes) {
    if (node.State === "down") ++down;
    const f = node.Figures;
    const card = el("div", {class: "node", "data-node": node.Name, "data-state": node.State});
    const title = el("div", {class: "title"});
    const name = el("span");
    name.appendChild(el("span", {class: "swatch",
                                 style: "background:" + colourOf(node.Name, names)}));
    name.appendChild(document.createTextNode(node.Name));
    title.appendChild(name);
    title.appendChild(el("span", {class: "state"}, node.State));
    card.appendChild(title);
    card.appendChild(el("div", {}, node.Host + ":" + node.Port));
    const table = el("table");
    row(table, "slots served", node.Slots);
    if (f) {
      const points = history[node.Name] || [];
      row(table, "ops/s", points.length ? points[points.length - 1].ops.toFixed(0) : "-");
      row(table, "objects / counters", f.Objects + " / " + f.Counters);
      const cap = f.MaxMemoryBytes || data.MaxMemoryBytes;
      row(table, "RSS", mb(f.RssBytes) + (cap ? " of " + mb(cap) : " (no cap)"),
          cap && f.RssBytes > 0.9 * cap);
      row(table, "stored / evictions", mb(f.StoredBytes) + " / " + f.Evictions);
      row(table, "lagging writes", f.LaggingWrites, f.LaggingWrites > 0);
      row(table, "replicas out of sync", f.OutOfSync, f.OutOfSync > 0);
      row(table, "slots arriving", f.ArrivingSlots.length, f.ArrivingSlots.length > 0);
      row(table, "rebalancing", f.Rebalancing ? f.PassDone + " of " + f.PassSlots + " slots"
                                              : "idle");
    } else {
      row(table, "figures", "no answer", true);
    }
    card.appendChild(table);
    const cap = f && (f.MaxMemoryBytes || data.MaxMemoryBytes);
    if (cap) card.appendChild(capBar(f.RssBytes, cap));
    card.appendChild(chart(node.Name, now, colourOf(node.Name, names)));
    box.appendChild(card);
  }
  document.getElementById("node-count").textContent = data.Nodes.length;
  document.getElementById("nodes-down").textContent = down;
}

function capBar(used, cap) {
  const bar = el("div", {class: "bar", title: "RSS against MaxMemoryBytes"});
  bar.appendChild(el("div", {style: "width:" + Math.min(100, 100 * used / cap).toFixed(0) + "%"}));
  return bar;
}

function drawSlots(data, names) {
  const down = new Set(data.Nodes.filter(n => n.State === "down").map(n => n.Name));
  const grid = document.getElementById("slots");
  grid.replaceChildren();
  let served = 0, arriving = 0;
  for (const slot of data.Slots) {
    if (slot.Owner) ++served;
    if (slot.Arriving) ++arriving;
    const cell = el("div", {
      class: "slot" + (slot.Replicas.length ? " replica" : ""),
      "data-slot": slot.Slot,
      "data-owner": slot.Owner || "",
      "data-replicas": slot.Replicas.join(" "),
      "data-arriving": slot.Arriving ? "true" : "false",
      "data-owner-down": down.has(slot.Owner) ? "true" : "false",
      title: "slot " + slot.Slot + ": owner " + (slot.Owner || "none") +
             (slot.Replicas.length ? ", replicas " + slot.Replicas.join(", ") : "") +
             (slot.Arriving ? ", data arriving" : ""),
    }, String(slot.Slot));
    if (slot.Owner) cell.style.background = colourOf(slot.Owner, names);
    grid.appendChild(cell);
  }
  document.getElementById("slot-count").textContent = served;
  document.getElementById("slots-arriving").textContent = arriving;
  const passes = data.Nodes.filter(n => n.Figures && n.Figures.Rebalancing);
  const left = passes.reduce((sum, n) => sum + n.Figures.PassSlots - n.Figures.PassDone, 0);
  document.getElementById("rebalance").textContent =
      passes.length ? "rebalancing: " + left + " slot pushes left on " + passes.length +
                      " node(s)" : "";
}

function draw(data) {
  const now = Date.now();
  const names = data.Nodes.map(n => n.Name).sort();
  for (const node of data.Nodes) recordOps(node, now);
  drawNodes(data, names, now);
  drawSlots(data, names);
  const status = document.getElementById("status");
  status.className = "";
  status.textContent = "as seen by " + data.AnsweredBy + " at " + new Date(now).toLocaleTimeString();
}

async function poll() {
  const status = document.getElementById("status");
  try {
    const headers = token ? {Authorization: "Bearer " + token} : {};
    const response = await fetch("/ovo/dashboard", {headers: headers, cache: "no-store"});
    if (!response.ok) {
      throw new Error("HTTP " + response.status + " " +
                      (response.headers.get("X-Ovo-Error") || response.statusText));
    }
    const envelope = await response.json();
    draw(envelope.Data);
  } catch (e) {
    status.className = "error";
    status.textContent = "cannot reach this node: " + e.message;
  } finally {
    setTimeout(poll, POLL_MS);
  }
}
poll();
</script>
</body>
</html>
)html";

}  // namespace

std::string_view dashboard_page_html() { return page; }

}  // namespace ovo
