// Bar charts of the results page. The data comes from json_script tags (CSP forbids inline
// scripts); each chart repeats a data table printed beside it, so the page is complete without it.
(function () {
  "use strict";
  function wrap(text, perLine) {
    var lines = [];
    var line = "";
    text.split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > perLine) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines;
  }
  function draw() {
    if (typeof window.Chart === "undefined") return;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      // Long titles wrap on several lines instead of being cut, narrower on a phone.
      var width = canvas.parentNode.clientWidth || 600;
      var perLine = width < 480 ? 16 : 34;
      var labels = data.labels.map(function (label) { return wrap(label, perLine); });
      var lines = labels.reduce(function (n, l) { return n + l.length; }, 0);
      canvas.height = Math.max(240, lines * 16 + data.labels.length * 10);
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: labels,
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
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { title: function (items) { return data.labels[items[0].dataIndex]; } } },
          },
          scales: { x: { beginAtZero: true }, y: { ticks: { autoSkip: false } } },
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
