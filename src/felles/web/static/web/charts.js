// Charts for pages that ship their data as <script type="application/json"> (json_script).
// Every chart has a table with the same figures next to it; the chart is an enhancement.
"use strict";
(function () {
  function draw() {
    if (!window.Plotly) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source) return;
      var spec = JSON.parse(source.textContent);
      var layout = Object.assign(
        {
          margin: { t: 30, r: 10, b: 40, l: 60 },
          height: 280,
          font: { family: "Inter, sans-serif", size: 13 },
          legend: { orientation: "h", y: -0.2 },
          separators: ", ",
        },
        spec.layout || {}
      );
      window.Plotly.newPlot(el, spec.data, layout, {
        displayModeBar: false,
        responsive: true,
        locale: "nb",
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
