/* A drop-down with many options (a school, a town) gets a search box above it: typing narrows the options.
   Progressive: the plain <select> is what is sent, and works alone without this script. The box has no name,
   so it is never submitted. Matching ignores case, full-width/half-width (NFKC) and hiragana/katakana. */
(function () {
  "use strict";
  var MIN_OPTIONS = 16;

  function fold(text) {
    return String(text).normalize("NFKC").toLowerCase().replace(/[\u30a1-\u30f6]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0x60);
    }).replace(/\s+/g, "");
  }

  function enhance(select, texts) {
    var options = Array.prototype.slice.call(select.options);
    var placeholder = options[0] && options[0].value === "" ? options[0] : null;
    var choices = options.filter(function (o) { return o !== placeholder; });
    if (choices.length < MIN_OPTIONS) return;
    var id = select.id + "-filter", statusId = select.id + "-filter-status";
    var box = document.createElement("div");
    box.className = "choose-filter";
    var label = document.createElement("label");
    label.className = "choose-filter-label";
    label.htmlFor = id;
    label.textContent = texts.label;
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.setAttribute("aria-controls", select.id);
    input.setAttribute("aria-describedby", statusId);
    var status = document.createElement("p");
    status.className = "choose-filter-status";
    status.id = statusId;
    status.setAttribute("role", "status");
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(status);
    select.parentNode.insertBefore(box, select);

    function narrow() {
      var wanted = fold(input.value.trim());
      var chosen = select.value;
      var shown = choices.filter(function (o) { return !wanted || o.value === chosen || fold(o.text).indexOf(wanted) !== -1; });
      while (select.options.length) select.remove(0);
      if (placeholder) select.add(placeholder);
      shown.forEach(function (o) { select.add(o); });
      select.value = chosen;
      var count = shown.filter(function (o) { return o.value !== chosen || fold(o.text).indexOf(wanted) !== -1; }).length;
      status.textContent = wanted ? texts.count.replace("{n}", String(count)) : "";
    }
    input.addEventListener("input", narrow);
    // Enter in the box picks the only match instead of sending the form half filled in.
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var matches = Array.prototype.filter.call(select.options, function (o) { return o.value !== ""; });
      if (matches.length === 1) select.value = matches[0].value;
      select.focus();
    });
  }

  document.querySelectorAll("form[data-filter-label]").forEach(function (form) {
    var texts = { label: form.getAttribute("data-filter-label"), count: form.getAttribute("data-filter-count") };
    form.querySelectorAll("select:not([multiple])").forEach(function (select) { if (select.id) enhance(select, texts); });
  });
})();
