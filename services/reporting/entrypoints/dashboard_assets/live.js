/* The live page: fetch the dashboard document, draw it, poll for changes (ETag), filter, download. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("dashboard-config").textContent);
  var container = document.getElementById("dashboard");
  var query = { fiscal_year: config.query.fiscal_year || "", period: config.query.period || "" };
  var etag = null, lastUpdate = null, lastError = null, timer = null;

  function params(extra) {
    var search = new URLSearchParams();
    Object.keys(query).forEach(function (k) { if (query[k]) search.set(k, query[k]); });
    Object.keys(extra || {}).forEach(function (k) { search.set(k, extra[k]); });
    return search.toString();
  }

  // The scope shown is kept in the address's fragment (#site:S001), so a reload, a shared
  // link or the language switch comes back to it.
  function here() {
    return "/dashboard?" + params() + (dashboard.scope ? "#" + encodeURIComponent(dashboard.scope) : "");
  }

  function keepPlace() {
    history.replaceState(null, "", here());
    var switcher = document.querySelector("a[hreflang]");
    if (switcher) {
      var target = new URL(switcher.href, window.location.href);
      target.searchParams.set("next", here());
      switcher.href = target.pathname + target.search;
    }
  }

  var dashboard = new window.EOCMSDashboard.Dashboard(container, config, {
    canFilter: true,
    scopeChanged: function () { keepPlace(); },
    filter: function (fiscalYear, period) {
      query = { fiscal_year: fiscalYear, period: period };
      keepPlace();
      etag = null;
      load();
    },
    downloads: function (scope) {
      var links = [];
      ["measures", "indicators", "compliance"].forEach(function (table) {
        ["csv", "parquet"].forEach(function (format) {
          var extra = { scope: scope, format: format };
          if (table !== "measures") extra.table = table;
          links.push({ format: format, table: table, filename: "", href: config.downloadUrl + "?" + params(extra) });
        });
      });
      return links;
    },
    status: function () {
      if (lastError) return dashboard.t("dash.update_failed", { reason: lastError });
      return lastUpdate ? dashboard.t("dash.updated", { time: lastUpdate.toLocaleTimeString(config.language === "fr" ? "fr-CA" : "en-CA") }) : "";
    }
  });

  function setStatus() {
    var node = document.getElementById("dashboard-status");
    if (node) node.textContent = dashboard.actions.status();
  }

  function load() {
    var headers = etag ? { "If-None-Match": etag } : {};
    return fetch(config.dataUrl + "?" + params(), { headers: headers, credentials: "same-origin" })
      .then(function (answer) {
        if (answer.status === 304) { lastUpdate = new Date(); lastError = null; setStatus(); return; }
        if (answer.status === 401) { window.location.assign("/signin?next=" + encodeURIComponent("/dashboard?" + params())); return; }
        if (!answer.ok) throw new Error(answer.status + " " + answer.statusText);
        etag = answer.headers.get("ETag");
        return answer.json().then(function (doc) {
          query = { fiscal_year: doc.fiscal_year, period: query.period || "ytd" };
          lastUpdate = new Date(); lastError = null;
          dashboard.show(doc);
          container.setAttribute("data-etag", etag || "");
          container.setAttribute("data-period", doc.period.label);
        });
      })
      .catch(function (error) { lastError = error.message; setStatus(); });
  }

  function poll() {
    timer = window.setTimeout(function () { load().then(poll); }, config.pollMs);
  }

  if (window.location.hash.length > 1) dashboard.scope = decodeURIComponent(window.location.hash.slice(1));
  load().then(function () { keepPlace(); poll(); });
  window.addEventListener("pagehide", function () { if (timer) window.clearTimeout(timer); });
})();
