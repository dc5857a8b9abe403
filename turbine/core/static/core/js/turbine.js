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

  // A text field holding several names separated by commas (data-multi-autocomplete), whose
  // <datalist> lists the names: with JavaScript, the ARIA combobox pattern offers the names that
  // match the one being typed (the part after the last comma); without it, a plain text field.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[-'’]/g, " ");
  }

  function multiAutocomplete(input, index) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var names = Array.prototype.map.call(list.options, function (o) { return o.value; });
    input.removeAttribute("list");
    var box = document.createElement("ul");
    box.id = (input.id || "saisie-" + index) + "-suggestions";
    box.className = "autocomplete-list";
    box.setAttribute("role", "listbox");
    box.setAttribute("aria-label", "Suggestions");
    box.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    var wrapper = document.createElement("div");
    wrapper.className = "autocomplete";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    wrapper.appendChild(box);
    wrapper.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", box.id);
    var active = -1;
    var shown = [];

    function parts() {
      var value = input.value;
      var cut = Math.max(value.lastIndexOf(","), value.lastIndexOf(";"));
      return { head: value.slice(0, cut + 1), token: value.slice(cut + 1) };
    }

    function close() {
      box.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(next) {
      var items = box.children;
      if (active >= 0 && items[active]) { items[active].setAttribute("aria-selected", "false"); }
      active = next;
      if (active >= 0 && items[active]) {
        items[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", items[active].id);
        items[active].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(name) {
      input.value = parts().head.replace(/\s*$/, parts().head ? " " : "") + name + ", ";
      close();
      status.textContent = "Ajout : " + name + ".";
      input.focus();
    }

    function refresh() {
      var token = fold(parts().token.trim());
      var taken = input.value.split(/[,;]/).map(function (t) { return fold(t.trim()); });
      box.textContent = "";
      shown = [];
      if (token) {
        // Names that begin with what is typed first (Lens before Courcelles-lès-Lens), then
        // names with a word that begins with it.
        var starts = [], words = [];
        names.forEach(function (name) {
          var key = fold(name);
          if (taken.indexOf(key) >= 0) { return; }
          if (key.indexOf(token) === 0) { starts.push(name); }
          else if (key.indexOf(" " + token) > 0) { words.push(name); }
        });
        shown = starts.concat(words).slice(0, 8);
      }
      shown.forEach(function (name, i) {
        var item = document.createElement("li");
        item.id = box.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = name;
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(name); });
        box.appendChild(item);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      box.hidden = shown.length === 0;
      input.setAttribute("aria-expanded", String(shown.length > 0));
      status.textContent = token ? (shown.length ? shown.length + " suggestion" + (shown.length > 1 ? "s" : "") : (input.getAttribute("data-no-match") || "Aucune suggestion.")) : "";
    }

    input.addEventListener("input", refresh);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (box.hidden) { refresh(); }
        if (!shown.length) { return; }
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + shown.length) % shown.length);
      } else if (event.key === "Enter" && !box.hidden && active >= 0) {
        event.preventDefault();
        choose(shown[active]);
      } else if (event.key === "Escape" && !box.hidden) {
        event.preventDefault();
        close();
      }
    });
  }

  function setUp() {
    document.querySelectorAll("input[data-multi-autocomplete]").forEach(multiAutocomplete);
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
