/* Progressive enhancement for lowcode forms: show_if fields appear and disappear as people answer.
   The server applies the same rules, so the form works the same without JavaScript. */
(function () {
  "use strict";
  function currentValues(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file") return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) {
        if (el.type === "checkbox" && !(el.name in values)) values[el.name] = el.value === "y" ? false : [];
        return;
      }
      var value = el.type === "checkbox" && el.value === "y" ? true : el.value;
      if (el.type === "checkbox" && el.value !== "y") {
        values[el.name] = (Array.isArray(values[el.name]) ? values[el.name] : []).concat([value]);
      } else {
        values[el.name] = value;
      }
    });
    return values;
  }
  function same(actual, expected) {
    if (typeof actual === "boolean") return actual === (String(expected).toLowerCase() === "true");
    if (Array.isArray(actual)) return actual.indexOf(String(expected)) !== -1;
    return String(actual == null ? "" : actual) === String(expected);
  }
  function holds(condition, values) {
    return Object.keys(condition).every(function (name) {
      var options = Array.isArray(condition[name]) ? condition[name] : [condition[name]];
      return options.some(function (o) { return same(values[name], o); });
    });
  }
  function update(form) {
    var values = currentValues(form);
    form.querySelectorAll("[data-show-if]").forEach(function (box) {
      box.hidden = !holds(JSON.parse(box.getAttribute("data-show-if")), values);
    });
  }
  document.querySelectorAll("form.lc-form").forEach(function (form) {
    form.addEventListener("input", function () { update(form); });
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
  /* A postal code with 7 digits fills the address field it names, when that field is still empty. */
  document.querySelectorAll("input[data-postal-url]").forEach(function (input) {
    input.addEventListener("change", function () {
      var digits = input.value.normalize("NFKC").replace(/[^0-9]/g, "");
      var target = document.getElementById(input.getAttribute("data-fills"));
      if (digits.length !== 7 || !target || target.value) return;
      fetch(input.getAttribute("data-postal-url") + "?code=" + digits, {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (found) { if (found && !target.value) { target.value = found.address; } })
        .catch(function () { /* offline or unknown: the resident types the address */ });
    });
  });
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
