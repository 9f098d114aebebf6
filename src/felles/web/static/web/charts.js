// Charts for pages that ship their data as <script type="application/json"> (json_script):
// <div class="felles-chart" data-chart="ID"> draws the spec in #ID with plotly.
// Every chart gets, from the same data, a table of its figures in a <details> below it (for
// screen readers and for anyone who wants the numbers); the chart is an enhancement.
// Colours come from the page's Designsystemet tokens, month names, decimal comma and
// thousands separator from the page's language (<html lang>).
"use strict";
(function () {
  var NB = {
    moduleType: "locale",
    name: "nb",
    dictionary: {
      Autoscale: "Autoskaler",
      "Download plot as a png": "Last ned som PNG",
      "Reset axes": "Tilbakestill aksene",
      "Zoom in": "Zoom inn",
      "Zoom out": "Zoom ut",
    },
    format: {
      days: ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
      shortDays: ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
      months: [
        "januar", "februar", "mars", "april", "mai", "juni",
        "juli", "august", "september", "oktober", "november", "desember",
      ],
      shortMonths: [
        "jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des",
      ],
      periods: ["", ""],
      dateTime: "%A %e. %B %Y kl. %X",
      date: "%d.%m.%Y",
      time: "%H:%M:%S",
      decimal: ",",
      thousands: "\u00a0",
      grouping: [3],
      currency: ["kr\u00a0", ""],
      year: "%Y",
      month: "%b %Y",
      dayMonth: "%-d. %b",
      dayMonthYear: "%-d. %b %Y",
    },
  };

  // The words the table around a chart needs (the page's other text is Django's).
  var TEXT = {
    nb: { figures: "Tallene i diagrammet", category: "Kategori", date: "Dato" },
    en: { figures: "The figures in the chart", category: "Category", date: "Date" },
  };

  // The Designsystemet theme's colours, as fallbacks when a token is not on the page.
  var TOKENS = [
    ["--ds-color-accent-base-default", "#0062ba"],
    ["--ds-color-warning-base-default", "#b56e00"],
    ["--ds-color-success-base-default", "#068718"],
    ["--ds-color-danger-base-default", "#c01b1b"],
    ["--ds-color-info-base-default", "#0a71c0"],
    ["--ds-color-neutral-base-default", "#1e2b3c"],
  ];

  function language() {
    return (document.documentElement.lang || "nb").slice(0, 2) === "en" ? "en" : "nb";
  }

  function token(style, name, fallback) {
    var value = style.getPropertyValue(name).trim();
    return value || fallback;
  }

  function theme() {
    var root = getComputedStyle(document.documentElement);
    var body = getComputedStyle(document.body);
    return {
      colorway: TOKENS.map(function (t) { return token(root, t[0], t[1]); }),
      text: token(root, "--ds-color-neutral-text-default", "#1e2b3c"),
      grid: token(root, "--ds-color-neutral-border-subtle", "#bbbcbd"),
      font: body.fontFamily || "Inter, sans-serif",
    };
  }

  function isDate(value) {
    return typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value);
  }

  function formatter(lang) {
    var locale = lang === "en" ? "en-GB" : "nb-NO";
    var numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
    var dates = new Intl.DateTimeFormat(
      locale,
      lang === "en"
        ? { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }
        : { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" }
    );
    return function (value) {
      if (value === null || value === undefined || value === "") return "–";
      if (typeof value === "number") return numbers.format(value);
      if (isDate(value)) return dates.format(new Date(value.slice(0, 10) + "T00:00:00Z"));
      return String(value);
    };
  }

  function titleText(title) {
    if (!title) return "";
    return typeof title === "string" ? title : title.text || "";
  }

  // One row per category (or date), one column per trace: the same numbers as the chart.
  function figures(spec, lang) {
    var words = TEXT[lang];
    var traces = spec.data || [];
    var layout = spec.layout || {};
    var horizontal = traces.some(function (t) { return t.orientation === "h"; });
    var keyAxis = horizontal ? "y" : "x";
    var valueAxis = horizontal ? "x" : "y";
    var keys = [];
    var seen = {};
    traces.forEach(function (t) {
      (t[keyAxis] || []).forEach(function (k) {
        if (!Object.prototype.hasOwnProperty.call(seen, k)) {
          seen[k] = true;
          keys.push(k);
        }
      });
    });
    if (keys.every(isDate)) keys.sort();
    var axisTitle = titleText((layout[keyAxis + "axis"] || {}).title);
    var head = [axisTitle || (keys.length && keys.every(isDate) ? words.date : words.category)];
    traces.forEach(function (t, i) {
      head.push(t.name || titleText((layout[valueAxis + "axis"] || {}).title) || String(i + 1));
    });
    var rows = keys.map(function (k) {
      return [k].concat(traces.map(function (t) {
        var at = (t[keyAxis] || []).indexOf(k);
        return at < 0 ? null : (t[valueAxis] || [])[at];
      }));
    });
    return { head: head, rows: rows };
  }

  function table(el, spec, lang) {
    var data = figures(spec, lang);
    var format = formatter(lang);
    var details = document.createElement("details");
    details.className = "ds-details felles-chart-figures";
    var summary = document.createElement("summary");
    var caption = titleText((spec.layout || {}).title) || el.getAttribute("aria-label") || "";
    summary.textContent = TEXT[lang].figures + (caption ? ": " + caption : "");
    details.appendChild(summary);
    var tbl = document.createElement("table");
    tbl.className = "ds-table";
    tbl.setAttribute("data-border", "");
    var thead = tbl.createTHead().insertRow();
    data.head.forEach(function (h) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = h;
      thead.appendChild(th);
    });
    var body = tbl.createTBody();
    data.rows.forEach(function (row) {
      var tr = body.insertRow();
      row.forEach(function (cell, i) {
        var td;
        if (i === 0) {
          td = document.createElement("th");
          td.scope = "row";
          tr.appendChild(td);
        } else {
          td = tr.insertCell();
          td.className = "felles-number";
        }
        td.textContent = format(cell);
        if (i > 0 && typeof cell === "number") td.setAttribute("data-value", String(cell));
      });
    });
    details.appendChild(tbl);
    el.insertAdjacentElement("afterend", details);
  }

  function axis(base, colours) {
    return Object.assign(
      { automargin: true, gridcolor: colours.grid, zerolinecolor: colours.grid },
      base || {},
      { title: Object.assign({ standoff: 12 }, typeof base === "object" && base && base.title
        ? (typeof base.title === "string" ? { text: base.title } : base.title)
        : {}) }
    );
  }

  function draw() {
    if (!window.Plotly) return;
    var lang = language();
    if (lang === "nb" && window.Plotly.register) window.Plotly.register(NB);
    var colours = theme();
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source || el.dataset.drawn) return;
      var spec = JSON.parse(source.textContent);
      var given = spec.layout || {};
      var layout = Object.assign(
        {
          height: 320,
          margin: { t: given.title ? 48 : 16, r: 16, b: 16, l: 16, pad: 4 },
          font: { family: colours.font, size: 14, color: colours.text },
          colorway: colours.colorway,
          legend: { orientation: "h", y: -0.2, yanchor: "top" },
          separators: lang === "en" ? ".," : ",\u00a0",
          paper_bgcolor: "rgba(0,0,0,0)",
          plot_bgcolor: "rgba(0,0,0,0)",
          autosize: true,
        },
        given
      );
      layout.height = Math.max(240, layout.height);
      layout.xaxis = axis(given.xaxis, colours);
      layout.yaxis = axis(given.yaxis, colours);
      if (typeof layout.title === "string") layout.title = { text: layout.title };
      if (layout.title) layout.title = Object.assign({ x: 0, xanchor: "left", font: { size: 16 } }, layout.title);
      el.dataset.drawn = "1";
      window.Plotly.newPlot(el, spec.data, layout, {
        displayModeBar: false,
        responsive: true,
        locale: lang === "en" ? "en" : "nb",
      });
      table(el, spec, lang);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
  // Charts that arrive with an htmx swap are drawn too (each chart only once).
  document.addEventListener("htmx:afterSettle", draw);
})();
