// Live totals on the ballot: remaining envelope (knapsack), points left (cumulative) or number
// of projects chosen (approval). Without JavaScript the "Recalculer le total" button does it.
(function () {
  "use strict";
  var nf = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 });
  function setup(form) {
    var status = form.querySelector("#etat-bulletin");
    if (!status) return;
    var type = status.dataset.type;
    var recalc = form.querySelector("[data-recalculate]");
    if (recalc) recalc.hidden = true;
    function update() {
      var spentEl = status.querySelector("[data-spent]");
      var remainingEl = status.querySelector("[data-remaining]");
      var over = false;
      if (type === "cumulative") {
        var used = 0;
        form.querySelectorAll("input.ballot-points").forEach(function (input) {
          var v = parseInt(input.value, 10);
          if (!isNaN(v) && v > 0) used += v;
        });
        var total = parseInt(status.dataset.points, 10);
        spentEl.textContent = used;
        remainingEl.textContent = total - used;
        over = used > total;
      } else {
        var checked = form.querySelectorAll("input[name=projets]:checked");
        if (type === "knapsack") {
          var spent = 0;
          checked.forEach(function (input) { spent += parseFloat(input.dataset.cost); });
          var budget = parseFloat(status.dataset.budget);
          spentEl.textContent = nf.format(spent);
          remainingEl.textContent = nf.format(budget - spent);
          over = spent > budget;
        } else {
          spentEl.textContent = checked.length;
          over = checked.length > parseInt(status.dataset.max, 10);
        }
      }
      status.classList.toggle("ballot-status-over", over);
    }
    form.addEventListener("change", update);
    form.addEventListener("input", update);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-ballot]").forEach(setup);
  });
})();
