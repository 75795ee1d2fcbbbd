/* A visible cue on every box that scrolls sideways: display equations, tables, code,
 * and figures too wide for a phone (see figures.js).
 *
 * Each such box is put in a frame (div.scroll-cue). When its content is wider than
 * the column, the frame gets data-more="left", "right" or "left right", naming the
 * sides where content is hidden, and book.css draws a fading edge with an arrow
 * there. A box that scrolls is a tab stop, so that keyboard users can scroll it
 * (axe rule scrollable-region-focusable); an equation that fits is not.
 */
(function () {
  "use strict";
  var SELECTOR = "mjx-container[display='true'], .pst-scrollable-table-container, .gd-figure-scroll, " +
    "div.highlight > pre";

  function update(box) {
    var frame = box.parentElement, overflow = box.scrollWidth - box.clientWidth > 1;
    if (box.scrollHeight - box.clientHeight > 1) { box.tabIndex = 0; }  // scrolls up and down: a tab stop too
    if (!overflow) {
      frame.removeAttribute("data-more");
      if (box.matches("mjx-container, .gd-figure-scroll")) { box.removeAttribute("tabindex"); }
      return;
    }
    var more = [];
    if (box.scrollLeft > 1) { more.push("left"); }
    if (box.scrollLeft + box.clientWidth < box.scrollWidth - 1) { more.push("right"); }
    frame.setAttribute("data-more", more.join(" ") || "none");
    box.tabIndex = 0;
  }

  // A box that appears later (a solution opened, a tab shown) or changes size is measured again.
  var sized = window.ResizeObserver ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { update(entry.target); });
  }) : null;

  function watch(box) {
    if (!box.parentElement.classList.contains("scroll-cue")) {
      if (sized) { sized.observe(box); }
      var frame = document.createElement("div");  // the cue is drawn on a frame that does not scroll
      frame.className = "scroll-cue";
      box.parentNode.insertBefore(frame, box);
      frame.appendChild(box);
      box.addEventListener("scroll", function () { update(box); }, { passive: true });
    }
    update(box);
  }

  function all() { document.querySelectorAll(SELECTOR).forEach(watch); }

  window.gdlibScrollCues = all;  // figures.js calls it after laying out a figure again
  new MutationObserver(all).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  var timer = null;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(all, 100); });
  all();
  window.addEventListener("load", function () {
    all();
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) { MathJax.startup.promise.then(all); }
  });
})();
