"use strict";
(function () {
  // Text from the report only ever reaches the page through textContent: never as markup.
  var data = JSON.parse(document.getElementById("findings-data").textContent);
  var tip = document.getElementById("tip");
  var shown = null;

  function line(className, text) {
    var div = document.createElement("div");
    div.className = className;
    div.textContent = text;
    return div;
  }

  function show(mark) {
    var f = data.findings[Number(mark.dataset.i)];
    if (!f || mark.classList.contains("off")) return;
    tip.replaceChildren(
      line("tip-head", f.code + " " + f.name + " [" + f.severity + "] at " + f.line + ":" + f.column),
      line("tip-message", f.message)
    );
    if (f.suggestion) tip.appendChild(line("tip-suggestion", "Suggestion: " + f.suggestion));
    var link = document.createElement("a");
    link.href = "#rule-" + encodeURIComponent(f.code);
    link.textContent = "Rule " + f.code + (f.summary ? ": " + f.summary : "") + " (Enter)";
    var foot = document.createElement("div");
    foot.appendChild(link);
    tip.appendChild(foot);
    tip.hidden = false;
    var box = mark.getBoundingClientRect();
    tip.style.left = Math.max(8, Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8)) + "px";
    tip.style.top = (window.scrollY + box.bottom + 6) + "px";
    if (shown) shown.classList.remove("active");
    shown = mark;
    mark.classList.add("active");
  }

  function hide() {
    tip.hidden = true;
    if (shown) shown.classList.remove("active");
    shown = null;
  }

  function markOf(target) {
    var el = target instanceof Element ? target.closest("mark.hl, mark.hl-part") : null;
    if (!el) return null;
    return el.classList.contains("hl") ? el : document.getElementById("hl-" + el.dataset.i);
  }

  document.addEventListener("mouseover", function (event) {
    if (tip.contains(event.target)) return;
    var mark = markOf(event.target);
    if (mark) show(mark);
    else if (shown && document.activeElement !== shown) hide();
  });
  document.addEventListener("focusin", function (event) {
    var mark = markOf(event.target);
    if (mark) show(mark);
    else if (!tip.contains(event.target)) hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
    var mark = markOf(event.target);
    if (mark && event.key === "Enter") {
      var f = data.findings[Number(mark.dataset.i)];
      var rule = document.getElementById("rule-" + f.code);
      if (rule) { location.hash = "rule-" + f.code; rule.focus(); }
    }
  });

  // Filters: a finding is shown when its severity and its family are both ticked.
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter]"));
  var onlyFailing = document.getElementById("only-failing");

  function ticked(kind) {
    var set = {};
    boxes.forEach(function (box) { if (box.dataset.filter === kind && box.checked) set[box.value] = true; });
    return set;
  }

  function apply() {
    var severities = ticked("severity");
    var families = ticked("family");
    var visible = function (el) { return severities[el.dataset.sev] === true && families[el.dataset.family] === true; };
    document.querySelectorAll("mark.hl, mark.hl-part").forEach(function (mark) {
      var on = visible(mark);
      mark.classList.toggle("off", !on);
      if (mark.classList.contains("hl")) mark.tabIndex = on ? 0 : -1;
    });
    document.querySelectorAll("ol.findings li").forEach(function (item) { item.hidden = !visible(item); });
    var failingOnly = onlyFailing && onlyFailing.checked;
    document.querySelectorAll("article[data-verdict], #verdicts tr[data-verdict]").forEach(function (el) {
      el.hidden = failingOnly && el.dataset.verdict === "passed";
    });
    if (shown && shown.classList.contains("off")) hide();
  }

  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  if (onlyFailing) onlyFailing.addEventListener("change", apply);
  apply();
})();
