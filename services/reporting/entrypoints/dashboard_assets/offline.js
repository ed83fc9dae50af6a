/* The demo's offline file: draw the embedded document; downloads are CSV made in the browser. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("dashboard-config").textContent);
  var doc = JSON.parse(document.getElementById("dashboard-document").textContent);
  var columns = ["scope", "level", "sqs", "meets_provincial_standard", "measure_id", "numerator", "denominator",
    "actual_percent", "target_percent", "score", "commitment_percent", "gap_percent",
    "improvement_commitment_percent", "improvement_gap_percent", "suppressed"];

  function csvFor(scope) {
    var lines = [columns.join(",")];
    [scope].concat(doc.scopes[scope].children).forEach(function (key) {
      var node = doc.scopes[key];
      node.measures.forEach(function (m) {
        var row = { scope: key, level: node.level, sqs: node.sqs, meets_provincial_standard: node.meets_provincial_standard,
          suppressed: m.numerator === null || m.denominator === null };
        lines.push(columns.map(function (c) {
          var value = c in row ? row[c] : m[c];
          return value === null || value === undefined ? "" : String(value).replace(/[",\n]/g, " ");
        }).join(","));
      });
    });
    return lines.join("\n") + "\n";
  }

  var dashboard = new window.EOCMSDashboard.Dashboard(document.getElementById("dashboard"), config, {
    canFilter: false,
    filter: function () {},
    downloads: function (scope) {
      return [{ format: "csv", filename: "eocms-" + doc.fiscal_year + "-" + scope.replace(/[^A-Za-z0-9_-]/g, "_") + ".csv",
        href: "data:text/csv;charset=utf-8," + encodeURIComponent(csvFor(scope)) }];
    },
    status: function () { return dashboard.t("dash.offline", { time: config.generated_at }); }
  });
  dashboard.show(doc);
  var fallback = document.querySelector(".fallback");
  if (fallback) fallback.hidden = true;  // for readers without scripts; the tables above say the same
  document.documentElement.setAttribute("data-charts-drawn", String(dashboard.charts.length > 0));

  // The offline copy switches language in place (no server to remember it).
  var toggle = document.getElementById("language-toggle");
  if (toggle && config.catalogues) {
    toggle.addEventListener("click", function () {
      var next = config.language === "fr" ? "en" : "fr";
      config.language = next;
      config.messages = config.catalogues[next];
      dashboard.words = config.messages;
      document.documentElement.lang = next;
      toggle.textContent = config.messages["lang.switch"];
      toggle.lang = config.messages["lang.switch_code"];
      document.getElementById("page-title").textContent = config.messages["dash.title"];
      document.title = config.messages["dash.title"] + " · " + doc.fiscal_year;
      dashboard.draw();
    });
  }
})();
