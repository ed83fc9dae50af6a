// Draws the demo dashboard's charts as SVG from the JSON embedded in the page.
// No libraries: a few small helpers, one function per chart.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var BLUE = "#2563eb", ORANGE = "#ea580c";
  var LINE_COLOURS = ["#2563eb", "#16a34a", "#9333ea", "#dc2626", "#0891b2"];
  var data = JSON.parse(document.getElementById("report-data").textContent);

  function el(name, attrs, parent, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function svgIn(container, width, height, label) {
    var svg = el("svg", {
      viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": label,
      width: width, height: height
    });
    el("title", {}, svg, label);
    container.appendChild(svg);
    return svg;
  }

  function scale(domainMax, rangeMin, rangeMax) {
    return function (value) { return rangeMin + (rangeMax - rangeMin) * (value / domainMax); };
  }

  function ticks(max, count) {
    var step = max / count, found = [];
    for (var i = 0; i <= count; i += 1) { found.push(Math.round(step * i * 100) / 100); }
    return found;
  }

  // Horizontal axis with grid lines and a title, for bar charts drawn left to right.
  function xAxis(svg, x, top, bottom, max, title) {
    var axis = el("g", { "class": "axis" }, svg);
    ticks(max, 5).forEach(function (value) {
      el("line", { "class": "grid", x1: x(value), x2: x(value), y1: top, y2: bottom }, axis);
      el("text", { x: x(value), y: bottom + 14, "text-anchor": "middle" }, axis, String(value));
    });
    el("text", { x: (x(0) + x(max)) / 2, y: bottom + 30, "text-anchor": "middle" }, axis, title);
  }

  function drawSqs() {
    var sites = data.sites.slice().sort(function (a, b) { return b.sqs - a.sqs || (a.scope < b.scope ? -1 : 1); });
    var row = 22, top = 10, left = 110, width = 760, right = 40;
    var height = top + row * sites.length + 44;
    var svg = svgIn(document.getElementById("sqs-chart"), width, height,
      "SQS by site, sorted, with the provincial standard " + data.provincial_standard);
    var x = scale(10, left, width - right);
    xAxis(svg, x, top, top + row * sites.length, 10, "SQS (out of 10)");
    sites.forEach(function (site, index) {
      var y = top + index * row;
      el("text", { x: left - 8, y: y + row / 2 + 4, "text-anchor": "end" }, svg,
        site.scope + " (" + (site.provider_id || "") + ")");
      var bar = el("rect", {
        "class": "bar sqs-bar", x: x(0), y: y + 3, height: row - 6,
        width: Math.max(x(site.sqs) - x(0), 1),
        fill: site.sqs >= data.provincial_standard ? BLUE : ORANGE
      }, svg);
      el("title", {}, bar, site.scope + ": SQS " + site.sqs.toFixed(2));
      el("text", { x: x(site.sqs) + 4, y: y + row / 2 + 4 }, svg, site.sqs.toFixed(2));
    });
    var sx = x(data.provincial_standard);
    el("line", { "class": "standard", x1: sx, x2: sx, y1: top - 6, y2: top + row * sites.length }, svg);
    el("text", { x: sx + 4, y: top + row * sites.length + 44 - 2 }, svg,
      "provincial standard " + data.provincial_standard.toFixed(2));
  }

  function drawMeasures() {
    var container = document.getElementById("measure-charts");
    data.measure_ids.forEach(function (measureId) {
      var panel = document.createElement("div");
      panel.className = "chart measure-panel";
      container.appendChild(panel);
      var rows = data.sites.map(function (site) {
        var m = site.measures.filter(function (item) { return item.measure_id === measureId; })[0];
        return { site: site.scope, measure: m };
      });
      var sample = rows[0].measure, target = sample.target_percent;
      var maxValue = Math.max(100, target, Math.max.apply(null, rows.map(function (r) {
        return r.measure.actual_percent || 0;
      })));
      var row = 18, top = 28, left = 50, width = 360, right = 20;
      var height = top + row * rows.length + 40;
      var svg = svgIn(panel, width, height, sample.label + ": actual % per site against the target " + target + "%");
      el("text", { x: left, y: 16, "font-weight": "600" }, svg, sample.label + " (target " + target + "%)");
      var x = scale(maxValue, left, width - right);
      xAxis(svg, x, top, top + row * rows.length, Math.ceil(maxValue / 10) * 10, "actual %");
      rows.forEach(function (r, index) {
        var y = top + index * row, actual = r.measure.actual_percent;
        el("text", { x: left - 6, y: y + row / 2 + 4, "text-anchor": "end" }, svg, r.site);
        var bar = el("rect", {
          "class": "bar measure-bar", x: x(0), y: y + 2, height: row - 4,
          width: actual === null ? 0 : Math.max(x(actual) - x(0), 1),
          fill: actual !== null && actual >= target ? BLUE : ORANGE
        }, svg);
        el("title", {}, bar, r.site + ": " + (actual === null ? "no data" : actual + "%") +
          " (" + r.measure.numerator + " / " + r.measure.denominator + ")");
      });
      el("line", { "class": "target", x1: x(target), x2: x(target), y1: top - 4, y2: top + row * rows.length }, svg);
    });
  }

  function lineChart(container, series, options) {
    var width = 760, height = 260, left = 50, right = 20, top = 16, bottom = 44;
    var months = data.months;
    var svg = svgIn(container, width, height, options.label);
    var x = function (i) { return left + (width - left - right) * (months.length === 1 ? 0.5 : i / (months.length - 1)); };
    var y = function (v) { return height - bottom - (height - top - bottom) * (v / options.max); };
    var axis = el("g", { "class": "axis" }, svg);
    ticks(options.max, 5).forEach(function (value) {
      el("line", { "class": "grid", x1: left, x2: width - right, y1: y(value), y2: y(value) }, axis);
      el("text", { x: left - 6, y: y(value) + 4, "text-anchor": "end" }, axis, String(value));
    });
    months.forEach(function (month, i) {
      el("text", { x: x(i), y: height - bottom + 16, "text-anchor": "middle" }, axis, month.slice(2));
    });
    el("text", { x: (left + width - right) / 2, y: height - 6, "text-anchor": "middle" }, axis, "month");
    el("text", { x: 12, y: top + (height - top - bottom) / 2, "text-anchor": "middle",
      transform: "rotate(-90 12 " + (top + (height - top - bottom) / 2) + ")" }, axis, options.yTitle);
    if (options.standard !== undefined) {
      el("line", { "class": "standard", x1: left, x2: width - right, y1: y(options.standard), y2: y(options.standard) }, svg);
    }
    series.forEach(function (s) {
      var points = [];
      s.values.forEach(function (v, i) { if (v !== null) { points.push([x(i), y(v)]); } });
      if (points.length === 0) { return; }
      el("path", {
        "class": "trend-line", fill: "none", stroke: s.colour, "stroke-width": 2,
        d: points.map(function (p, i) { return (i ? "L" : "M") + p[0].toFixed(1) + " " + p[1].toFixed(1); }).join(" ")
      }, svg);
      points.forEach(function (p) {
        el("circle", { "class": "trend-point", cx: p[0], cy: p[1], r: 3, fill: s.colour }, svg);
      });
    });
  }

  function drawTrend() {
    lineChart(document.getElementById("trend-chart"),
      [{ colour: BLUE, values: data.monthly_sqs }],
      { label: "Provincial SQS per month, with the standard", max: 10, yTitle: "SQS", standard: data.provincial_standard });
    var series = data.measure_ids.map(function (id, index) {
      return { colour: LINE_COLOURS[index % LINE_COLOURS.length], values: data.monthly_measures[id] };
    });
    var maxValue = 100;
    series.forEach(function (s) { s.values.forEach(function (v) { if (v !== null && v > maxValue) { maxValue = v; } }); });
    lineChart(document.getElementById("trend-measures-chart"), series,
      { label: "Each measure's provincial actual % per month", max: Math.ceil(maxValue / 10) * 10, yTitle: "actual %" });
    var legend = document.getElementById("trend-legend");
    data.measure_ids.forEach(function (id, index) {
      var item = document.createElement("span");
      item.style.setProperty("--c", LINE_COLOURS[index % LINE_COLOURS.length]);
      item.textContent = data.measure_labels[id];
      legend.appendChild(item);
    });
  }

  drawSqs();
  drawMeasures();
  drawTrend();
  document.body.setAttribute("data-charts-drawn", "true");
})();
