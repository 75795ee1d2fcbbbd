/* Figures legible on narrow screens.
 *
 * A figure is drawn for the desktop column (gdlib.plots sizes it there). Where the
 * column is narrower, the picture would shrink and its text with it. Then:
 * - a figure of several panels (img[data-panels], written by gdlib.plots as
 *   "x0 y0 x1 y1;..." fractions of the picture, row by row) is shown as its panels
 *   one under the other, each as wide as the column;
 * - any other figure keeps a legible size and, on a phone, scrolls sideways in its box.
 * The picture itself stays in the page for screen readers (its alt text); the
 * panels are drawn from the same file, so nothing more is downloaded.
 */
(function () {
  "use strict";
  var SMALLEST = 0.68;  // shown / natural width below which a figure is laid out anew (text 8.5 px)
  var NARROW = 600;  // a column narrower than this (a phone's) scrolls a figure rather than shrink it

  function panelsOf(img) {
    return (img.getAttribute("data-panels") || "").split(";").filter(Boolean).map(function (p) {
      return p.trim().split(/\s+/).map(Number);
    });
  }

  function column(img) {  // the width the figure may take
    var box = img.closest(".gd-figure") ? img.closest(".gd-figure").parentElement : img.parentElement;
    return box.clientWidth;
  }

  function layout(img) {
    var natural = Number(img.getAttribute("width"));
    if (!natural) { return; }
    var figure = img.closest(".gd-figure");
    if (!figure) {
      figure = document.createElement("div");
      figure.className = "gd-figure";
      img.parentNode.insertBefore(figure, img);
      figure.appendChild(img);
    }
    var available = column(img), panels = panelsOf(img);
    var mode = available / natural >= SMALLEST ? "whole" : panels.length > 1 ? "stacked" :
      available < NARROW ? "scroll" : "whole";
    if (figure.getAttribute("data-mode") === mode) { return; }
    figure.setAttribute("data-mode", mode);
    var old = figure.querySelector(".gd-panels");
    if (old) { old.remove(); }
    if (figure.parentElement.classList.contains("gd-figure-scroll") && mode !== "scroll") {
      var wrapper = figure.parentElement.parentElement.classList.contains("scroll-cue") ?
        figure.parentElement.parentElement : figure.parentElement;
      wrapper.parentNode.insertBefore(figure, wrapper);
      wrapper.remove();
    }
    img.style.width = "";
    if (mode === "stacked") {
      var height = Number(img.getAttribute("height")), stack = document.createElement("div");
      stack.className = "gd-panels";
      stack.setAttribute("aria-hidden", "true");
      panels.forEach(function (p) {
        var w = p[2] - p[0], h = p[3] - p[1], cell = document.createElement("div"), part = new Image();
        cell.className = "gd-panel";
        cell.style.aspectRatio = (natural * w) + " / " + (height * h);
        cell.style.maxWidth = (natural * w) + "px";
        part.src = img.currentSrc || img.src;
        part.alt = "";
        part.style.width = (100 / w) + "%";
        part.style.height = (100 / h) + "%";
        part.style.left = (-100 * p[0] / w) + "%";
        part.style.top = (-100 * p[1] / h) + "%";
        cell.appendChild(part);
        stack.appendChild(cell);
      });
      figure.appendChild(stack);
    } else if (mode === "scroll") {
      var scroller = document.createElement("div");
      scroller.className = "gd-figure-scroll";
      figure.parentNode.insertBefore(scroller, figure);
      scroller.appendChild(figure);
      img.style.width = Math.ceil(natural * SMALLEST) + "px";
    }
  }

  function all() {
    document.querySelectorAll(".bd-article img[width]").forEach(function (img) {
      if (!img.closest(".gdlib-player")) { layout(img); }
    });
    if (window.gdlibScrollCues) { window.gdlibScrollCues(); }
  }

  var timer = null;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(all, 100); });
  all();
})();
