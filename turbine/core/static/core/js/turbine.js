/* Turbine — small progressive enhancements. Without JavaScript every menu and filter form is
   simply shown in full; with it, small screens get a menu button and filters behind a button. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var small = window.matchMedia("(max-width: 40rem)");

  function disclosure(button, panel) {
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      panel.classList.toggle("is-open", open);
      if (open) {
        var first = panel.querySelector("a, button, input, select, textarea");
        if (first && panel.hasAttribute("data-filters")) { first.focus(); }
      }
    });
  }

  function setUp() {
    var menuButton = document.querySelector(".nav-toggle");
    var menu = document.getElementById("menu-principal");
    if (menuButton && menu) {
      disclosure(menuButton, menu);
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && menuButton.getAttribute("aria-expanded") === "true" && small.matches) {
          menuButton.click();
          menuButton.focus();
        }
      });
    }
    document.querySelectorAll("form[data-filters]").forEach(function (form, index) {
      if (!form.id) { form.id = "filtres-" + (index + 1); }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "filters-toggle button-secondary";
      button.setAttribute("aria-expanded", "false");
      button.setAttribute("aria-controls", form.id);
      var active = 0;
      // The filters applied are those of the address (the form's defaults are not filters).
      new URLSearchParams(window.location.search).forEach(function (value, name) {
        if (value !== "" && form.elements[name] && ["page", "sort", "tri"].indexOf(name) < 0) { active += 1; }
      });
      var label = form.getAttribute("data-filters") || "Filtres";
      button.textContent = active ? label + " (" + active + ")" : label;
      var arrow = document.createElement("span");
      arrow.className = "filters-arrow";
      arrow.setAttribute("aria-hidden", "true");
      button.appendChild(arrow);
      form.parentNode.insertBefore(button, form);
      disclosure(button, form);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
