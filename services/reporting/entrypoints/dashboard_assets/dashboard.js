/* EOCMS dashboard renderer: draws one dashboard document (see dashboard_document.py) into a
 * container. Shared by the live page (live.js) and the demo's offline file (offline.js).
 * Charts use the vendored Chart.js (window.Chart); every chart has a table with the same
 * figures beside it. Labels come from the message catalogue in `config.messages`. */
(function () {
  "use strict";

  var COLORS = { meets: "#0b57a4", below: "#a3180f", target: "#6b6b6b", standard: "#1a1a1a" };
  var SERIES = ["#0b57a4", "#b35c00", "#1d6b2f", "#7a2e8e", "#a3180f", "#00677f", "#5c5c00"];

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else if (name === "onclick") node.addEventListener("click", attrs[name]);
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function Dashboard(container, config, actions) {
    this.container = container;
    this.config = config;
    this.words = config.messages;
    this.actions = actions;
    this.scope = null;
    this.charts = [];
  }

  Dashboard.prototype.t = function (key, values) {
    var text = this.words[key];
    if (text === undefined) return key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    return text;
  };

  Dashboard.prototype.number = function (value, digits) {
    if (value === null || value === undefined) return this.t("dash.no_data");
    return new Intl.NumberFormat(this.config.language === "fr" ? "fr-CA" : "en-CA", {
      minimumFractionDigits: digits, maximumFractionDigits: digits
    }).format(value);
  };

  /* A figure as shown in a cell: "—" titled "suppressed" when the count behind it was withheld
   * (a null count: small-cell suppression for analysts), "–" when it does not apply. Counts
   * are shown whole, or to 2 places when they are fractions (a pro-rated plan share). */
  Dashboard.prototype.figure = function (value, digits, suppressed) {
    if (value === null || value === undefined) {
      if (suppressed) {
        this.sawSuppressed = true;
        return el("span", { "class": "suppressed", title: this.t("dash.suppressed"), "data-suppressed": "true", text: "—" });
      }
      return document.createTextNode("–");
    }
    return document.createTextNode(this.number(value, digits === 0 && value % 1 !== 0 ? 2 : digits));
  };

  /* Whether a row's counts were withheld (a numerator, denominator or count nulled). */
  Dashboard.prototype.withheld = function (row) {
    return row.numerator === null || row.denominator === null || row.count === null;
  };

  /* The fields of a measure that come from its counts (the others are the rule book's or the
   * business plan's: a null there means "none", never "suppressed"). */
  var FROM_COUNTS = { numerator: true, denominator: true, actual_percent: true, score: true,
    gap_percent: true, improvement_gap_percent: true };

  Dashboard.prototype.legend = function () {
    return el("p", { "class": "note legend", "data-testid": "suppressed-legend", text: this.t("dash.suppressed_legend") });
  };

  /* Rule-book text (measure and dimension labels) is English; the catalogue translates it
   * by its English wording ("label.<text>"), so a renamed measure never shows a stale name. */
  Dashboard.prototype.ruleText = function (english) {
    return this.words["label." + english] || english;
  };

  Dashboard.prototype.measureLabel = function (measure) {
    return this.ruleText(measure.label);
  };

  Dashboard.prototype.scopeName = function (node) {
    if (node.level === "province" || node.level === "sites") return this.t("dash.level." + node.level);
    return this.t("dash.level." + node.level) + " " + node.name;
  };

  Dashboard.prototype.periodLabel = function (label) {
    if (this.words["dash.period." + label]) return this.t("dash.period." + label);
    var parts = label.split("-");
    var day = new Date(Date.UTC(Number(parts[0]), Number(parts[1]) - 1, 15));
    return new Intl.DateTimeFormat(this.config.language === "fr" ? "fr-CA" : "en-CA", {
      month: "long", year: "numeric", timeZone: "UTC"
    }).format(day);
  };

  Dashboard.prototype.path = function (key) {
    var doc = this.doc, trail = [key];
    var parentOf = {};
    Object.keys(doc.scopes).forEach(function (k) {
      doc.scopes[k].children.forEach(function (child) { if (!(child in parentOf)) parentOf[child] = k; });
    });
    while (parentOf[trail[0]]) trail.unshift(parentOf[trail[0]]);
    return trail;
  };

  Dashboard.prototype.subtree = function (key) {
    var doc = this.doc, found = {}, todo = [key];
    while (todo.length) {
      var next = todo.pop();
      if (found[next]) continue;
      found[next] = true;
      todo = todo.concat(doc.scopes[next] ? doc.scopes[next].children : []);
    }
    return found;
  };

  Dashboard.prototype.show = function (doc) {
    this.doc = doc;
    if (!this.scope || !doc.scopes[this.scope]) this.scope = doc.root;
    this.draw();
  };

  Dashboard.prototype.openMeasure = function (measureId) {
    this.measureId = measureId;
    this.draw();
    var heading = this.container.querySelector("h2");
    if (heading) heading.focus();
  };

  Dashboard.prototype.drill = function (key) {
    this.scope = key;
    this.measureId = null;
    if (this.actions.scopeChanged) this.actions.scopeChanged(key);
    this.draw();
    var heading = this.container.querySelector("h2");
    if (heading) heading.focus();
  };

  Dashboard.prototype.draw = function () {
    this.charts.forEach(function (chart) { chart.destroy(); });
    this.charts = [];
    var doc = this.doc, node = doc.scopes[this.scope];
    var box = this.container;
    box.textContent = "";
    this.sawSuppressed = false;
    box.appendChild(this.controls());
    box.appendChild(this.breadcrumbs());
    var measure = this.measureId && node.measures.filter(function (m) { return m.measure_id === this.measureId; }, this)[0];
    if (measure) {
      box.appendChild(this.measureView(node, measure));
      if (this.sawSuppressed) box.appendChild(this.legend());
      box.appendChild(this.status());
      return;
    }
    this.measureId = null;
    box.appendChild(this.summary(node));
    var grid = el("div", { "class": "grid" });
    if (node.children.length) grid.appendChild(this.childrenPanel(node));
    grid.appendChild(this.measuresPanel(node));
    grid.appendChild(this.trendPanel(node));
    grid.appendChild(this.flagsPanel(node));
    box.appendChild(grid);
    if (node.children.length) box.appendChild(this.childrenTable(node));
    box.appendChild(this.measuresTable(node));
    box.appendChild(this.trendTable(node));
    var indicators = this.indicatorsTable(node, null);
    if (indicators) box.appendChild(indicators);
    if (this.sawSuppressed) box.appendChild(this.legend());
    box.appendChild(this.status());
  };

  Dashboard.prototype.controls = function () {
    var self = this, doc = this.doc;
    var year = el("select", { id: "fiscal-year", name: "fiscal_year" });
    doc.fiscal_years.forEach(function (fy) {
      var option = el("option", { value: fy, text: fy });
      if (fy === doc.fiscal_year) option.selected = true;
      year.appendChild(option);
    });
    var period = el("select", { id: "period", name: "period" });
    doc.periods.forEach(function (p) {
      var option = el("option", { value: p, text: self.periodLabel(p) });
      if (p === doc.period.label || (p === "ytd" && doc.period.label.indexOf("ytd") === 0)) option.selected = true;
      period.appendChild(option);
    });
    var live = this.actions.canFilter;
    if (!live) { year.disabled = true; period.disabled = true; }
    function changed() { self.actions.filter(year.value, period.value); }
    year.addEventListener("change", changed);
    period.addEventListener("change", changed);
    var downloads = el("p", { "class": "downloads" }, [
      el("span", { text: this.t("dash.download") + ": " })
    ]);
    var table = null;
    this.actions.downloads(this.scope).forEach(function (link) {
      var which = link.table || "measures";
      if (which !== table) {
        table = which;
        if (which !== "measures") downloads.appendChild(el("span", { "class": "table-name", text: self.t("dash.download_table." + which) + ": " }));
      }
      var label = self.t("dash.download_" + link.format);
      var attrs = { href: link.href, download: link.filename, "data-format": link.format, "data-table": which, text: label };
      if (which !== "measures") attrs["aria-label"] = self.t("dash.download_table." + which) + " " + label;
      downloads.appendChild(el("a", attrs));
      downloads.appendChild(document.createTextNode(" "));
    });
    return el("div", { "class": "controls" }, [
      el("label", { "for": "fiscal-year", text: this.t("dash.fiscal_year") }), year,
      el("label", { "for": "period", text: this.t("dash.period") }), period,
      downloads
    ]);
  };

  Dashboard.prototype.breadcrumbs = function () {
    var self = this, trail = this.path(this.scope);
    var list = el("ol");
    var measureShown = this.measureId && this.doc.scopes[this.scope].measures.filter(function (m) { return m.measure_id === self.measureId; })[0];
    trail.forEach(function (key, index) {
      var node = self.doc.scopes[key];
      var item = el("li");
      if (index === trail.length - 1 && !measureShown) item.appendChild(el("span", { "aria-current": "page", text: self.scopeName(node) }));
      else item.appendChild(el("button", { type: "button", "class": "link", text: self.scopeName(node),
        onclick: function () { self.drill(key); } }));
      list.appendChild(item);
    });
    if (measureShown) list.appendChild(el("li", {}, [el("span", { "aria-current": "page", text: this.measureLabel(measureShown) })]));
    return el("nav", { "class": "crumbs", "aria-label": this.t("dash.you_are_here") }, [list]);
  };

  Dashboard.prototype.summary = function (node) {
    var doc = this.doc;
    var meets = node.meets_provincial_standard;
    var dims = el("ul", { "class": "dimensions" });
    var self = this;
    Object.keys(doc.dimensions).forEach(function (key) {
      var label = self.ruleText(doc.dimensions[key].label);
      var score = node.dimension_scores[key];
      dims.appendChild(el("li", { text: label + ": " + self.number(score === undefined ? 0 : score, 2) }));
    });
    return el("section", { "class": "summary", "aria-labelledby": "scope-title" }, [
      el("h2", { id: "scope-title", tabindex: "-1", text: this.scopeName(node) }),
      el("p", { "class": "big" }, [
        el("span", { text: this.t("dash.sqs") + ": " }),
        el("strong", { "data-testid": "scope-sqs", text: this.number(node.sqs, 2) }),
        el("span", { "class": meets ? "badge good" : "badge bad",
          text: meets ? this.t("dash.meets") : this.t("dash.below") })
      ]),
      el("p", { "class": "note", text: this.t("dash.sqs_units", { standard: this.number(doc.provincial_standard, 2) }) }),
      el("p", { "class": "note", text: this.t("dash.rulebook", { version: doc.rulebook_version,
        start: doc.period.start, end: doc.period.end }) }),
      this.businessPlanLine(node),
      el("h3", { text: this.t("dash.dimensions") }), dims
    ]);
  };

  /* A site's business-plan status in the planning cycle (not submitted, submitted on time or
   * late, in review, returned for revision, approved); above a site, how many of its sites
   * have an approved plan. */
  Dashboard.prototype.businessPlanLine = function (node) {
    var compliance = this.doc.compliance;
    if (!compliance || !compliance.business_plans) return null;
    var text;
    if (node.level === "site") {
      var status = compliance.business_plans[node.key];
      if (!status) return null;
      text = this.t("dash.plan.label") + ": " + this.t("dash.plan." + status.replace(/-/g, "_"));
    } else if (node.compliance) {
      text = this.t("dash.plan.approved_of", { approved: node.compliance.business_plans_approved, sites: node.compliance.sites });
    } else {
      return null;
    }
    return el("p", { "data-testid": "business-plan", text: text });
  };

  Dashboard.prototype.chartPanel = function (title, note, id) {
    var canvas = el("canvas", { id: id, role: "img", "aria-label": title });
    var figure = el("figure", { "class": "panel" }, [
      el("figcaption", { text: title }),
      el("div", { "class": "chart" }, [canvas])
    ]);
    if (note) figure.appendChild(el("p", { "class": "note", text: note }));
    return { figure: figure, canvas: canvas };
  };

  Dashboard.prototype.chart = function (canvas, spec) {
    if (!window.Chart) return;
    spec.options = spec.options || {};
    spec.options.animation = false;
    spec.options.responsive = true;
    spec.options.maintainAspectRatio = false;
    spec.options.locale = this.config.language === "fr" ? "fr-CA" : "en-CA";
    this.charts.push(new window.Chart(canvas, spec));
  };

  Dashboard.prototype.childrenPanel = function (node) {
    var doc = this.doc, self = this;
    var children = node.children.map(function (key) { return doc.scopes[key]; });
    var level = this.t("dash.level." + children[0].level).toLowerCase();
    var panel = this.chartPanel(this.t("dash.children_chart", { level: level }), null, "chart-children");
    this.chart(panel.canvas, {
      data: {
        labels: children.map(function (c) { return c.name; }),
        datasets: [
          { type: "bar", label: this.t("dash.sqs_short"), data: children.map(function (c) { return c.sqs; }),
            backgroundColor: children.map(function (c) { return c.meets_provincial_standard ? COLORS.meets : COLORS.below; }) },
          { type: "line", label: this.t("dash.standard"), data: children.map(function () { return doc.provincial_standard; }),
            borderColor: COLORS.standard, borderDash: [6, 4], pointRadius: 0, borderWidth: 2 }
        ]
      },
      options: {
        scales: { y: { min: 0, max: 10, ticks: { stepSize: 1 }, title: { display: true, text: this.t("dash.score") } } },
        onClick: function (event, elements) {
          if (elements.length) self.drill(node.children[elements[0].index]);
        }
      }
    });
    return panel.figure;
  };

  Dashboard.prototype.measuresPanel = function (node) {
    var self = this;
    var over = node.measures.filter(function (m) { return m.actual_percent !== null && m.actual_percent > 100; });
    var notes = this.t("dash.measures_units");
    over.forEach(function (m) {
      notes += " " + self.t("dash.over_100", { label: self.measureLabel(m), actual: self.number(m.actual_percent, 1),
        numerator: self.number(m.numerator, 0), denominator: self.number(m.denominator, 0) });
    });
    var panel = this.chartPanel(this.t("dash.measures_chart"), notes, "chart-measures");
    var top = Math.max.apply(null, [100].concat(node.measures.map(function (m) { return m.actual_percent || 0; })));
    this.chart(panel.canvas, {
      type: "bar",
      data: {
        labels: node.measures.map(function (m) { return self.measureLabel(m); }),
        datasets: [
          { label: this.t("dash.actual"), data: node.measures.map(function (m) { return m.actual_percent; }), backgroundColor: COLORS.meets },
          { label: this.t("dash.target"), data: node.measures.map(function (m) { return m.target_percent; }), backgroundColor: COLORS.target }
        ]
      },
      options: {
        scales: { y: { min: 0, suggestedMax: Math.ceil(top / 20) * 20,
          ticks: { stepSize: 20, callback: function (v) { return v + " %"; } },
          title: { display: true, text: this.t("dash.percent") } } }
      }
    });
    return panel.figure;
  };

  Dashboard.prototype.trendPanel = function (node) {
    var doc = this.doc, self = this, trend = doc.trend;
    var months = trend.months.map(function (m) { return self.periodLabel(m); });
    var sqsPanel = this.chartPanel(this.t("dash.trend_chart"), this.t("dash.trend_gaps"), "chart-trend");
    this.chart(sqsPanel.canvas, {
      type: "line",
      data: { labels: months, datasets: [
        { label: this.t("dash.sqs_short"), data: trend.sqs[node.key] || [], borderColor: COLORS.meets, backgroundColor: COLORS.meets, spanGaps: false },
        { label: this.t("dash.standard"), data: months.map(function () { return doc.provincial_standard; }),
          borderColor: COLORS.standard, borderDash: [6, 4], pointRadius: 0 }
      ] },
      options: { scales: { y: { min: 0, max: 10, ticks: { stepSize: 1 }, title: { display: true, text: this.t("dash.score") } },
        x: { title: { display: true, text: this.t("dash.month") } } } }
    });
    var actual = trend.actual[node.key] || {};
    var measurePanel = this.chartPanel(this.t("dash.trend_measures_chart"), this.t("dash.measures_units"), "chart-trend-measures");
    this.chart(measurePanel.canvas, {
      type: "line",
      data: { labels: months, datasets: node.measures.map(function (m, i) {
        return { label: self.measureLabel(m), data: actual[m.measure_id] || [], borderColor: SERIES[i % SERIES.length],
          backgroundColor: SERIES[i % SERIES.length], spanGaps: false };
      }) },
      options: { scales: { y: { min: 0, ticks: { callback: function (v) { return v + " %"; } },
        title: { display: true, text: this.t("dash.percent") } },
        x: { title: { display: true, text: this.t("dash.month") } } } }
    });
    return el("div", { "class": "stack" }, [sqsPanel.figure, measurePanel.figure]);
  };

  /* The trend charts' figures: a month without data says so (the charts leave it a gap). */
  Dashboard.prototype.trendTable = function (node) {
    var self = this, trend = this.doc.trend;
    var sqs = trend.sqs[node.key] || [], actual = trend.actual[node.key] || {};
    var head = el("tr", {}, [el("th", { scope: "col", text: this.t("dash.month") }),
      el("th", { scope: "col", text: this.t("dash.sqs_short") })].concat(
      node.measures.map(function (m) { return el("th", { scope: "col", text: self.measureLabel(m) + " %" }); })));
    var body = el("tbody");
    trend.months.forEach(function (month, i) {
      function cell(value, digits) {
        return el("td", { text: value === null || value === undefined ? self.t("dash.no_data") : self.number(value, digits) });
      }
      body.appendChild(el("tr", { "data-month": month }, [el("th", { scope: "row", text: self.periodLabel(month) }), cell(sqs[i], 2)]
        .concat(node.measures.map(function (m) { return cell((actual[m.measure_id] || [])[i], 1); }))));
    });
    var caption = this.t("dash.trend_table", { name: this.scopeName(node) });
    return el("div", { "class": "scroll", tabindex: "0", role: "region", "aria-label": caption }, [
      el("table", { "data-testid": "trend" }, [el("caption", { text: caption }), el("thead", {}, [head]), body])]);
  };

  Dashboard.prototype.flagsPanel = function (node) {
    var self = this, byId = {};
    node.measures.forEach(function (m) { byId[m.measure_id] = m; });
    var list = el("ul", { "class": "flags" });
    node.flags.forEach(function (flag) {
      var measure = flag.measure_id ? self.measureLabel(byId[flag.measure_id]) : "";
      list.appendChild(el("li", { "data-flag": flag.kind, text: self.t("dash.flag." + flag.kind, { measure: measure }) }));
    });
    var section = el("section", { "class": "panel", "aria-labelledby": "flags-title" }, [
      el("h3", { id: "flags-title", text: this.t("dash.flags") }),
      node.flags.length ? list : el("p", { text: this.t("dash.no_flags") }),
      el("h3", { id: "worklist-title", text: this.t("dash.worklist") })
    ]);
    var worklist = this.doc.compliance;
    if (!worklist || !worklist.items) {
      section.appendChild(el("p", { "class": "note", text: this.t("dash.worklist_pending") }));
      return section;
    }
    section.appendChild(el("p", { "class": "note", text: this.t("dash.compliance.as_of", { date: worklist.as_of }) }));
    var kinds = (node.compliance && node.compliance.kinds) || {};
    var summary = el("ul", { "class": "flags", "data-testid": "compliance-summary" });
    Object.keys(kinds).forEach(function (kind) {
      var entry = kinds[kind];
      var item = el("li", { "data-compliance-kind": kind }, [
        document.createTextNode(self.t("dash.compliance." + kind) + ": ")]);
      item.appendChild(self.figure(entry.count, 0, true));
      item.appendChild(document.createTextNode(" " + self.t("dash.compliance.at_sites", { sites: entry.sites })));
      summary.appendChild(item);
    });
    var sites = {};
    (node.level === "site" ? [node.key] : Object.keys(this.doc.scopes).filter(function (key) {
      var scope = self.doc.scopes[key];
      if (scope.level !== "site") return false;
      if (node.level === "provider") return scope.provider_id === node.name;
      if (node.level === "region") return scope.region === node.name;
      return true;
    })).forEach(function (key) { sites[key] = true; });
    var items = worklist.items.filter(function (item) { return !item.scope || sites[item.scope]; });
    if (!items.length) {
      section.appendChild(el("p", { "data-testid": "compliance-none", text: this.t("dash.compliance.none") }));
      return section;
    }
    section.appendChild(summary);
    var head = el("tr", {}, [el("th", { scope: "col", text: this.t("dash.level.site") }),
      el("th", { scope: "col", text: this.t("dash.compliance.flag") }),
      el("th", { scope: "col", text: this.t("dash.compliance.detail") })]);
    var body = el("tbody");
    items.forEach(function (item) {
      var scope = self.doc.scopes[item.scope];
      body.appendChild(el("tr", { "data-compliance": item.kind, "data-scope-item": item.scope || "" }, [
        el("th", { scope: "row", text: scope ? scope.name : (item.scope || "") }),
        el("td", { text: self.t("dash.compliance." + item.kind) }),
        el("td", {}, [self.complianceDetail(item)])]));
    });
    var caption = this.t("dash.compliance.table", { name: this.scopeName(node) });
    section.appendChild(el("div", { "class": "scroll", tabindex: "0", role: "region", "aria-label": caption }, [
      el("table", { "data-testid": "compliance" }, [el("caption", { text: caption }),
        el("thead", {}, [head]), body])]));
    return section;
  };

  /* What an item of the worklist says beside its flag: a count, a response rate, a due date. */
  Dashboard.prototype.complianceDetail = function (item) {
    var self = this;
    if (item.kind === "low_response_rate") {
      var span = el("span", { text: this.t("dash.component." + String(item.component).replace(/-/g, "_")) + ": " });
      span.appendChild(this.figure(item.numerator, 0, true));
      span.appendChild(document.createTextNode(" / "));
      span.appendChild(this.figure(item.denominator, 0, true));
      span.appendChild(document.createTextNode(" = "));
      span.appendChild(this.figure(item.actual_percent, 1, this.withheld(item)));
      span.appendChild(document.createTextNode(" % " + this.t("dash.compliance.gate", {
        gate: self.number(this.doc.response_rate_gate_percent, 0) })));
      return span;
    }
    if (item.kind === "business_plan_missing") {
      return document.createTextNode(item.due_on ? this.t("dash.compliance.due_on", { date: item.due_on }) : "");
    }
    if (item.kind === "business_plan_late" || item.kind === "business_plan_not_submitted") {
      var due = item.due_on ? this.t("dash.compliance.due_on", { date: item.due_on }) + "; " : "";
      return el("span", { "data-consequence": "true", text: due + this.t("dash.compliance.consequence",
        { consequence: this.ruleText(item.consequence || "") }) });
    }
    return this.figure(item.count, 0, true);
  };

  /* The indicators reported beside the measures (never scored): all of a scope's, or those
   * explaining one measure. Null counts are suppressed ones. */
  Dashboard.prototype.indicatorsTable = function (node, measureId) {
    var self = this;
    var rows = (node.indicators || []).filter(function (row) { return !measureId || row.measure_id === measureId; });
    if (!rows.length) return null;
    var head = el("tr", {}, [["dash.indicator"], ["dash.count"], ["dash.denominator"], ["dash.result"]].map(function (c) {
      return el("th", { scope: "col", text: self.t(c[0]) }); }));
    var body = el("tbody");
    rows.forEach(function (row) {
      var withheld = self.withheld(row);
      var first = "count" in row ? row.count : row.numerator;
      var result = el("td");
      if (row.kind === "suitability") result.appendChild(self.figure(row.value, 2, withheld));
      else if ("actual_percent" in row) {
        result.appendChild(self.figure(row.actual_percent, 1, withheld));
        if (row.actual_percent !== null) result.appendChild(document.createTextNode(" %"));
        if (row.below_gate) result.appendChild(el("span", { "class": "badge bad", "data-below-gate": "true",
          text: self.t("dash.compliance.gate", { gate: self.number(self.doc.response_rate_gate_percent, 0) }) }));
      }
      var denominator = el("td");
      if ("denominator" in row) denominator.appendChild(self.figure(row.denominator, 0, withheld));
      body.appendChild(el("tr", { "data-indicator": row.indicator_id }, [
        el("th", { scope: "row", text: self.indicatorLabel(row) }),
        el("td", {}, [self.figure(first, 0, withheld)]), denominator, result]));
    });
    var caption = measureId
      ? this.t("dash.indicators_of_measure", { measure: this.measureLabel(node.measures.filter(function (m) { return m.measure_id === measureId; })[0] || { label: measureId }) })
      : this.t("dash.indicators_table", { name: this.scopeName(node) });
    return el("div", { "class": "scroll", tabindex: "0", role: "region", "aria-label": caption }, [
      el("table", { "data-testid": "indicators" }, [el("caption", { text: caption }), el("thead", {}, [head]), body])]);
  };

  Dashboard.prototype.indicatorLabel = function (row) {
    if (row.kind === "reported") return this.ruleText(row.label) + " " + this.t("dash.analysis_only");
    if (row.kind === "response_rate") {
      return this.t("dash.indicator.response_rate", { component: this.t("dash.component." + row.component.replace(/-/g, "_")) });
    }
    return this.t("dash.indicator." + row.indicator_id);
  };

  Dashboard.prototype.childrenTable = function (node) {
    var doc = this.doc, self = this;
    var children = node.children.map(function (key) { return doc.scopes[key]; });
    var plans = doc.compliance && doc.compliance.business_plans && children[0].level === "site" ? doc.compliance.business_plans : null;
    var head = el("tr", {}, [el("th", { scope: "col", text: this.t("dash.name") }),
      el("th", { scope: "col", text: this.t("dash.sqs_short") }), el("th", { scope: "col", text: this.t("dash.status") })]
      .concat(node.measures.map(function (m) { return el("th", { scope: "col", text: self.measureLabel(m) + " %" }); }))
      .concat(plans ? [el("th", { scope: "col", text: this.t("dash.plan.label") })] : []));
    var body = el("tbody");
    children.forEach(function (child) {
      var row = el("tr", { "class": child.meets_provincial_standard ? "" : "below" }, [
        el("th", { scope: "row" }, [el("button", { type: "button", "class": "link", "data-scope": child.key,
          "aria-label": self.t("dash.drill", { name: self.scopeName(child) }), text: child.name,
          onclick: function () { self.drill(child.key); } })]),
        el("td", { text: self.number(child.sqs, 2) }),
        el("td", { text: child.meets_provincial_standard ? self.t("dash.meets") : self.t("dash.below") })
      ].concat(child.measures.map(function (m) {
        if (m.actual_percent === null && !self.withheld(m)) return el("td", { text: self.t("dash.no_data") });
        return el("td", {}, [self.figure(m.actual_percent, 1, self.withheld(m))]);
      })).concat(plans ? [el("td", { "data-plan": plans[child.key] || "",
        text: plans[child.key] ? self.t("dash.plan." + plans[child.key].replace(/-/g, "_")) : "" })] : []));
      body.appendChild(row);
    });
    var level = this.t("dash.level." + children[0].level);
    var caption = this.t("dash.children_table", { level: level, name: this.scopeName(node) });
    return el("div", { "class": "scroll", tabindex: "0", role: "region", "aria-label": caption }, [el("table", { "data-testid": "children" }, [
      el("caption", { text: caption }),
      el("thead", {}, [head]), body])]);
  };

  Dashboard.prototype.measuresTable = function (node) {
    var self = this;
    var columns = [["dash.numerator", "numerator", 0], ["dash.denominator", "denominator", 0],
      ["dash.actual", "actual_percent", 1], ["dash.target", "target_percent", 1], ["dash.weight", "weight", 2],
      ["dash.measure_score", "score", 2], ["dash.commitment", "commitment_percent", 1], ["dash.gap", "gap_percent", 1],
      ["dash.improvement", "improvement_commitment_percent", 1], ["dash.improvement_gap", "improvement_gap_percent", 1]];
    var head = el("tr", {}, [el("th", { scope: "col", text: this.t("dash.measure") })].concat(
      columns.map(function (c) { return el("th", { scope: "col", text: self.t(c[0]) }); })));
    var body = el("tbody");
    node.measures.forEach(function (m) {
      var name = el("th", { scope: "row" }, [el("button", { type: "button", "class": "link", "data-measure-id": m.measure_id,
        text: self.measureLabel(m), onclick: function () { self.openMeasure(m.measure_id); } })]);
      body.appendChild(el("tr", { "data-measure": m.measure_id }, [name].concat(
        columns.map(function (c) {
          return el("td", {}, [self.figure(m[c[1]], c[2], FROM_COUNTS[c[1]] && self.withheld(m))]);
        }))));
    });
    var caption = this.t("dash.measures_table", { name: this.scopeName(node) });
    return el("div", { "class": "scroll", tabindex: "0", role: "region", "aria-label": caption }, [el("table", { "data-testid": "measures" }, [
      el("caption", { text: caption }),
      el("thead", {}, [head]), body])]);
  };

  /* One measure of one scope: its counts and business-plan figures, the same measure for
   * each scope below, and its monthly trend against the target. */
  Dashboard.prototype.measureView = function (node, measure) {
    var self = this, doc = this.doc;
    var label = this.measureLabel(measure);
    var facts = [["dash.numerator", "numerator", 0], ["dash.denominator", "denominator", 0],
      ["dash.actual", "actual_percent", 1], ["dash.target", "target_percent", 1],
      ["dash.measure_score", "score", 2], ["dash.commitment", "commitment_percent", 1],
      ["dash.gap", "gap_percent", 1], ["dash.improvement", "improvement_commitment_percent", 1],
      ["dash.improvement_gap", "improvement_gap_percent", 1]];
    var list = el("dl", { "class": "facts" });
    facts.forEach(function (f) {
      list.appendChild(el("dt", { text: self.t(f[0]) }));
      list.appendChild(el("dd", { "data-fact": f[0] }, [self.figure(measure[f[1]], f[2], FROM_COUNTS[f[1]] && self.withheld(measure))]));
    });
    var section = el("section", { "class": "summary", "aria-labelledby": "scope-title" }, [
      el("h2", { id: "scope-title", tabindex: "-1", text: label + " · " + this.scopeName(node) }),
      list,
      el("p", { "class": "note", text: this.t("dash.measures_units") })
    ]);
    var grid = el("div", { "class": "grid" });
    var children = node.children.map(function (key) { return doc.scopes[key]; });
    function same(scope) { return scope.measures.filter(function (m) { return m.measure_id === measure.measure_id; })[0]; }
    if (children.length) {
      var level = this.t("dash.level." + children[0].level).toLowerCase();
      var panel = this.chartPanel(this.t("dash.measure_by_child", { measure: label, level: level }), null, "chart-measure-children");
      this.chart(panel.canvas, {
        data: { labels: children.map(function (c) { return c.name; }), datasets: [
          { type: "bar", label: this.t("dash.actual"), data: children.map(function (c) { return same(c).actual_percent; }), backgroundColor: COLORS.meets },
          { type: "line", label: this.t("dash.target"), data: children.map(function () { return measure.target_percent; }),
            borderColor: COLORS.standard, borderDash: [6, 4], pointRadius: 0, borderWidth: 2 }
        ] },
        options: { scales: { y: { min: 0, ticks: { callback: function (v) { return v + " %"; } }, title: { display: true, text: this.t("dash.percent") } } } }
      });
      grid.appendChild(panel.figure);
    }
    var months = doc.trend.months.map(function (m) { return self.periodLabel(m); });
    var series = ((doc.trend.actual[node.key] || {})[measure.measure_id]) || [];
    var trend = this.chartPanel(this.t("dash.measure_trend", { measure: label }), this.t("dash.trend_gaps"), "chart-measure-trend");
    this.chart(trend.canvas, {
      type: "line",
      data: { labels: months, datasets: [
        { label: this.t("dash.actual"), data: series, borderColor: COLORS.meets, backgroundColor: COLORS.meets, spanGaps: false },
        { label: this.t("dash.target"), data: months.map(function () { return measure.target_percent; }), borderColor: COLORS.standard, borderDash: [6, 4], pointRadius: 0 }
      ] },
      options: { scales: { y: { min: 0, ticks: { callback: function (v) { return v + " %"; } }, title: { display: true, text: this.t("dash.percent") } },
        x: { title: { display: true, text: this.t("dash.month") } } } }
    });
    grid.appendChild(trend.figure);
    var wrapper = el("div", {}, [section, grid]);
    var indicators = this.indicatorsTable(node, measure.measure_id);
    if (indicators) wrapper.appendChild(indicators);
    if (children.length) {
      var head = el("tr", {}, [el("th", { scope: "col", text: this.t("dash.name") })].concat(
        [["dash.numerator"], ["dash.denominator"], ["dash.actual"], ["dash.target"], ["dash.measure_score"]].map(function (c) {
          return el("th", { scope: "col", text: self.t(c[0]) }); })));
      var body = el("tbody");
      children.forEach(function (child) {
        var m = same(child);
        body.appendChild(el("tr", {}, [el("th", { scope: "row", text: child.name })].concat(
          [[m.numerator, 0], [m.denominator, 0], [m.actual_percent, 1], [m.target_percent, 1], [m.score, 2]].map(function (v) {
            return el("td", {}, [self.figure(v[0], v[1], self.withheld(m))]); }))));
      });
      var caption = this.t("dash.measure_by_child", { measure: label, level: this.t("dash.level." + children[0].level).toLowerCase() });
      wrapper.appendChild(el("div", { "class": "scroll", tabindex: "0", role: "region", "aria-label": caption }, [
        el("table", { "data-testid": "measure-children" }, [el("caption", { text: caption }), el("thead", {}, [head]), body])]));
    }
    return wrapper;
  };

  Dashboard.prototype.status = function () {
    return el("p", { id: "dashboard-status", "class": "note", role: "status", text: this.actions.status() });
  };

  window.EOCMSDashboard = { Dashboard: Dashboard };
})();
