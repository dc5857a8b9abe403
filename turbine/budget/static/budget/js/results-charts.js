// Bar charts of the results page. The data comes from json_script tags (CSP forbids inline
// scripts); each chart repeats a data table printed beside it, so the page is complete without it.
(function () {
  "use strict";
  function draw() {
    if (typeof window.Chart === "undefined") return;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      canvas.height = Math.max(240, data.labels.length * 22);
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: [{
            label: data.unit,
            data: data.votes,
            backgroundColor: data.funded.map(function (f) { return f ? "#1d6b4f" : "#9aa5a0"; }),
          }],
        },
        options: {
          indexAxis: "y",
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: false } },
          scales: { x: { beginAtZero: true } },
        },
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
